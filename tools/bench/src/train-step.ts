// One training step exactly as the trainer's loop takes it: @ovus/ml-training's createLoopStep
// (forward in training mode, masked multi-task loss, gradients; then the update) with the
// optimizer the loop makes from the run config (createOptimizer: the engine's fused Adam), one
// batch per update and no weight decay — the defaults of a run. Inputs are random; only time and
// memory matter.
import { tf } from '@ovus/ml-engine';
import { TASK_NAMES, TASKS } from '@ovus/domain';
import { createLoopStep, createOptimizer, type StepLosses, type TrainBatch } from '@ovus/ml-training';

export interface TrainerStep {
  /** accumulate(batch) then apply(rate): one optimiser step of the loop. */
  run(batch: TrainBatch): StepLosses;
  dispose(): void;
}

/** The loop's step on `model` with Adam at `learningRate`. */
export function createTrainerStep(model: tf.LayersModel, learningRate = 1e-3): TrainerStep {
  const optimizer = createOptimizer({ name: 'adam', learningRate, weightDecay: 0, momentum: 0 }, learningRate);
  const step = createLoopStep(model, optimizer);
  return {
    run(batch) {
      const losses = step.accumulate(batch);
      step.apply(learningRate);
      return losses;
    },
    dispose() {
      step.dispose();
      optimizer.dispose();
    },
  };
}

export interface BenchTrainStep {
  /** Runs one step; returns the loss. */
  run(): number;
  dispose(): void;
}

export function createTrainStep(model: tf.LayersModel, batchSize: number, inputSize: number, seed = 7): BenchTrainStep {
  const step = createTrainerStep(model);
  const [bmus, ceus] = [0, 1].map((i) => tf.randomUniform([batchSize, inputSize, inputSize, 3], 0, 1, 'float32', seed + i)) as tf.Tensor4D[];
  const labels = Object.fromEntries(
    TASK_NAMES.map((task, i) => [task, Int32Array.from({ length: batchSize }, (_, k) => (k * 7 + i) % TASKS[task].codes.length)]),
  ) as TrainBatch['labels'];
  const batch: TrainBatch = { bmus, ceus, labels };
  return {
    run: () => step.run(batch).total,
    dispose(): void {
      step.dispose();
      tf.dispose([bmus, ceus]);
    },
  };
}
