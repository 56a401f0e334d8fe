import { tf } from '@ovus/ml-engine';

// 'shared' fusion runs one backbone over both modalities as a single batch of 2n images, then
// puts each case's two feature vectors side by side. Compared with calling the backbone twice:
// batch norm sees one batch whose statistics match the moving averages it keeps (two calls would
// normalise each modality by itself in training but by a blend at inference), the work is one
// larger pass, and tfjs disposes the model cleanly (a nested model called twice is never freed).

type Shape = (number | null)[];

/** [bmus [n, ...], ceus [n, ...]] → [2n, ...]: BMUS first, then CEUS. */
export class ModalityStack extends tf.layers.Layer {
  static className = 'ModalityStack';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [first] = inputShape as Shape[];
    return [null, ...first.slice(1)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [bmus, ceus] = inputs as tf.Tensor[];
    return tf.tidy(() => tf.concat([bmus, ceus], 0));
  }
}

/** [2n, f] → [n, 2f]: each case's BMUS features, then its CEUS features. */
export class ModalityUnstack extends tf.layers.Layer {
  static className = 'ModalityUnstack';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [null, (shape[1] as number) * 2];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return tf.tidy(() => {
      const [bmus, ceus] = tf.split(x, 2, 0);
      return tf.concat([bmus, ceus], 1);
    });
  }
}

tf.serialization.registerClass(ModalityStack);
tf.serialization.registerClass(ModalityUnstack);
