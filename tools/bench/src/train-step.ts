// One training step of the bench model through the trainer's own createTrainStep (forward in
// training mode, masked multi-task loss, gradients, Adam). Inputs are random; only time matters.
import { createAdamOptimizer, tf } from '@ovus/ml-engine';
import { TASK_NAMES, TASKS } from '@ovus/domain';
import { createTrainStep as createTrainerStep, type TrainBatch } from '@ovus/ml-training';

export interface BenchTrainStep {
  /** Runs one step; returns the loss. */
  run(): number;
  dispose(): void;
}

export function createTrainStep(model: tf.LayersModel, batchSize: number, inputSize: number, seed = 7): BenchTrainStep {
  const optimizer = createAdamOptimizer(1e-3);
  const step = createTrainerStep(model, optimizer);
  const [bmus, ceus] = [0, 1].map((i) => tf.randomUniform([batchSize, inputSize, inputSize, 3], 0, 1, 'float32', seed + i)) as tf.Tensor4D[];
  const labels = Object.fromEntries(
    TASK_NAMES.map((task, i) => [task, Int32Array.from({ length: batchSize }, (_, k) => (k * 7 + i) % TASKS[task].codes.length)]),
  ) as TrainBatch['labels'];
  const batch: TrainBatch = { bmus, ceus, labels };
  return {
    run: () => step(batch).total,
    dispose(): void {
      optimizer.dispose();
      tf.dispose([bmus, ceus]);
    },
  };
}
