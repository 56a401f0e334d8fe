import { tf } from '@ovus/ml-engine';
import { getModelTasks, multiTaskLoss, type MultiTaskLossOptions, type PerTask } from '@ovus/ml-models';
import { checkImages, checkLabels, type TrainBatch } from './batch';

export interface StepLosses {
  /** The (weighted) sum of the per-task losses that was minimised. */
  total: number;
  perTask: PerTask<number>;
}

export type TrainStep = (batch: TrainBatch) => StepLosses;

/**
 * One optimiser step per call on a multi-task model: forward in training mode, masked multi-task
 * loss, gradients of model.trainableWeights (in that order — Adam's slots are positional, and
 * loadOptimizerState relies on it), update. Every intermediate tensor is freed before it returns.
 * If the backbone is frozen or unfrozen afterwards, make a new optimizer and a new step.
 */
export function createTrainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  lossOptions: MultiTaskLossOptions = {},
): TrainStep {
  const tasks = getModelTasks(model);
  const trainable = model.trainableWeights;
  const names = trainable.map((w) => w.name);
  const variables = trainable.map((w) => w.read() as tf.Variable);
  if (variables.length === 0) throw new RangeError(`Model '${model.name}' has no trainable weights.`);

  return (batch) => {
    const current = model.trainableWeights;
    if (current.length !== names.length || current.some((w, i) => w.name !== names[i])) {
      throw new Error(
        `The trainable weights of '${model.name}' changed since this train step was made (backbone frozen or ` +
          `unfrozen?). Create a new optimizer and a new train step (Adam's moments are kept by position).`,
      );
    }
    const n = checkImages(model, batch);
    checkLabels(tasks, batch.labels, n);

    // variableGrads returns only the total; the per-task values are kept out of its tidy here.
    const kept: { perTask?: tf.Tensor1D } = {};
    const labels = tf.tidy(() =>
      Object.fromEntries(tasks.map((task) => [task, tf.tensor1d(batch.labels[task] as Int32Array, 'int32')])),
    ) as PerTask<tf.Tensor1D>;
    const { value, grads } = tf.variableGrads(() => {
      const applied = model.apply([batch.bmus, batch.ceus], { training: true }) as tf.Tensor | tf.Tensor[];
      const outputs = Array.isArray(applied) ? applied : [applied]; // a one-task model returns a tensor
      const probabilities = Object.fromEntries(tasks.map((task, i) => [task, outputs[i]]));
      const { total, perTask } = multiTaskLoss(probabilities, labels, lossOptions);
      kept.perTask = tf.keep(tf.stack(tasks.map((task) => perTask[task] as tf.Scalar)) as tf.Tensor1D);
      return total;
    }, variables);
    try {
      const total = value.dataSync()[0];
      const perTaskArray = (kept.perTask as tf.Tensor1D).dataSync();
      const perTask: PerTask<number> = Object.fromEntries(tasks.map((task, i) => [task, perTaskArray[i]]));
      if (!Number.isFinite(total)) {
        const bad = tasks.filter((task) => !Number.isFinite(perTask[task] as number));
        throw new Error(
          `The loss is ${total} (task(s) ${bad.join(', ') || 'none individually'}); the optimizer step was skipped. ` +
            `Lower the learning rate or check the inputs for NaN.`,
        );
      }
      optimizer.applyGradients(grads);
      return { total, perTask };
    } finally {
      tf.dispose([value, ...Object.values(grads), ...Object.values(labels), ...(kept.perTask ? [kept.perTask] : [])]);
    }
  };
}

