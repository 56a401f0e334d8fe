// One training step of the bench model: forward both images, 8 cross-entropy losses summed,
// backward, Adam. Inputs are random; only the time matters here.
import { tf } from '@ovus/ml-engine';
import { BENCH_HEAD_SIZES } from './train-models';

export interface TrainStep {
  run(): number;
  dispose(): void;
}

export function createTrainStep(model: tf.LayersModel, batchSize: number, inputSize: number, seed = 7): TrainStep {
  const optimizer = tf.train.adam(1e-3);
  const images = [0, 1].map((i) => tf.randomUniform([batchSize, inputSize, inputSize, 3], 0, 1, 'float32', seed + i));
  const labels = BENCH_HEAD_SIZES.map((classes, i) =>
    tf.oneHot(tf.randomUniform([batchSize], 0, classes, 'int32', seed + 10 + i) as tf.Tensor1D, classes),
  );
  return {
    run(): number {
      const loss = optimizer.minimize(() => {
        const outputs = model.apply(images, { training: true }) as tf.Tensor[];
        const perHead = outputs.map((probabilities, i) => tf.mean(tf.metrics.categoricalCrossentropy(labels[i], probabilities)));
        return tf.addN(perHead) as tf.Scalar;
      }, true);
      const value = loss?.dataSync()[0] ?? Number.NaN;
      loss?.dispose();
      return value;
    },
    dispose(): void {
      optimizer.dispose();
      tf.dispose([...images, ...labels]);
    },
  };
}
