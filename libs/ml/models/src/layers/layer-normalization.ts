import { tf } from '@ovus/ml-engine';

type Shape = (number | null)[];

/**
 * Layer normalisation over the last axis with Keras' weight names (gamma, beta). tfjs' own
 * LayerNormalization tiles its statistics and weights to the full input shape, and the gradient
 * of Tile is a loop of slices and adds: ~1300 tiny kernels per layer, which made a small ViT step
 * on wasm take seconds. Broadcasting needs none of that.
 */
export class BroadcastLayerNormalization extends tf.layers.Layer {
  static className = 'BroadcastLayerNormalization';
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: { epsilon?: number; name?: string }) {
    super({ name: args.name });
    this.epsilon = args.epsilon ?? 1e-3;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const width = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [width], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [width], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const { mean, variance } = tf.moments(x, -1, true);
      const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normalized, (this.gamma as tf.LayerVariable).read()), (this.beta as tf.LayerVariable).read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(BroadcastLayerNormalization);
