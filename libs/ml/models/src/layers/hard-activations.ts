import { tf } from '@ovus/ml-engine';

// MobileNetV3's hard sigmoid is relu6(x + 3) / 6 (Keras applications). tfjs' built-in
// 'hardSigmoid' activation is the older clip(0.2x + 0.5) with a different slope, so these two
// weightless layers are written here.

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export class HardSigmoid extends tf.layers.Layer {
  static className = 'HardSigmoid';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu6(tf.add(single(inputs), 3)), 6));
  }
}

export class HardSwish extends tf.layers.Layer {
  static className = 'HardSwish';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      return tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6));
    });
  }
}

tf.serialization.registerClass(HardSigmoid);
tf.serialization.registerClass(HardSwish);
