// Mean's gradient as one broadcast (Tile) of dy/n. The stock one builds ones(x.shape) in a
// JavaScript array, uploads it and multiplies: a full-size JS fill plus two passes, per Mean,
// and batch norm's moments use two Means per layer.
import * as tf from '@tensorflow/tfjs';

export function meanGradConfig(stock: tf.GradConfig): tf.GradConfig {
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
      const keptShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
      const reps = x.shape.map((size, axis) => (axes.includes(axis) ? size : 1));
      const count = axes.reduce((product, axis) => product * x.shape[axis], 1);
      return { x: () => tf.tile(tf.div(tf.reshape(dy as tf.Tensor, keptShape), count), reps) };
    },
  };
}
