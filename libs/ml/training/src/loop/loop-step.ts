// The loop's optimiser step. createTrainStep (../train-step) updates after every batch; the loop
// also needs gradient accumulation (a mean over several batches per update) and weight decay,
// which need the gradients between backward and update, so the step is split in two here:
// accumulate(batch) → losses, and apply(learningRate). With one batch per update and no weight
// decay it computes exactly what createTrainStep does (the test checks this).
import { tf } from '@ovus/ml-engine';
import { getModelTasks, multiTaskLoss, type MultiTaskLossOptions, type PerTask } from '@ovus/ml-models';
import { checkImages, checkLabels, type TrainBatch } from '../batch';
import type { StepLosses } from '../train-step';

export interface LoopStepOptions {
  loss?: MultiTaskLossOptions;
  weightDecay?: number;
  /** true: AdamW's decoupled decay (w -= rate·decay·w after the update); false: L2 added to the gradient. */
  decoupledWeightDecay?: boolean;
}

export interface LoopStep {
  /** Forward and backward on one batch; its gradients join the pending sum. A non-finite loss throws and adds nothing. */
  accumulate(batch: TrainBatch): StepLosses;
  /** One update with the mean of the pending gradients; then nothing is pending. No-op when nothing is. */
  apply(learningRate: number): void;
  readonly pending: number;
  /** Frees pending gradients (the optimizer stays the caller's). */
  dispose(): void;
}

export function createLoopStep(model: tf.LayersModel, optimizer: tf.Optimizer, options: LoopStepOptions = {}): LoopStep {
  const tasks = getModelTasks(model);
  const names = model.trainableWeights.map((w) => w.name);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (variables.length === 0) throw new RangeError(`Model '${model.name}' has no trainable weights.`);
  const weightDecay = options.weightDecay ?? 0;
  let sums: tf.Tensor[] | null = null;
  let pending = 0;

  const checkTrainable = () => {
    const current = model.trainableWeights;
    if (current.length !== names.length || current.some((w, i) => w.name !== names[i])) {
      throw new Error(
        `The trainable weights of '${model.name}' changed since this step was made (backbone frozen or unfrozen?). ` +
          'Create a new optimizer and a new step.',
      );
    }
  };

  return {
    get pending() {
      return pending;
    },

    accumulate(batch) {
      checkTrainable();
      const n = checkImages(model, batch);
      checkLabels(tasks, batch.labels, n);
      const kept: { perTask?: tf.Tensor1D } = {};
      const labels = tf.tidy(() =>
        Object.fromEntries(tasks.map((task) => [task, tf.tensor1d(batch.labels[task] as Int32Array, 'int32')])),
      ) as PerTask<tf.Tensor1D>;
      const { value, grads } = tf.variableGrads(() => {
        const applied = model.apply([batch.bmus, batch.ceus], { training: true }) as tf.Tensor | tf.Tensor[];
        const outputs = Array.isArray(applied) ? applied : [applied];
        const probabilities = Object.fromEntries(tasks.map((task, i) => [task, outputs[i]]));
        const { total, perTask } = multiTaskLoss(probabilities, labels, options.loss ?? {});
        kept.perTask = tf.keep(tf.stack(tasks.map((task) => perTask[task] as tf.Scalar)) as tf.Tensor1D);
        return total;
      }, variables);
      let adopted = false;
      try {
        const total = value.dataSync()[0];
        const values = (kept.perTask as tf.Tensor1D).dataSync();
        const perTask: PerTask<number> = Object.fromEntries(tasks.map((task, i) => [task, values[i]]));
        if (!Number.isFinite(total)) {
          const bad = tasks.filter((task) => !Number.isFinite(perTask[task] as number));
          throw new Error(
            `The loss is ${total} (task(s) ${bad.join(', ') || 'none individually'}); the update was skipped. ` +
              'Lower the learning rate or check the inputs for NaN.',
          );
        }
        // A weight the loss does not reach has no gradient: it counts as zero.
        const list = variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
        if (sums === null) {
          sums = list;
          adopted = true;
        } else {
          const previous: tf.Tensor[] = sums;
          sums = previous.map((sum, i) => tf.add(sum, list[i]));
          tf.dispose(previous);
        }
        pending += 1;
        return { total, perTask };
      } finally {
        tf.dispose([value, ...Object.values(labels), ...(kept.perTask ? [kept.perTask] : [])]);
        if (!adopted) tf.dispose(Object.values(grads));
      }
    },

    apply(learningRate) {
      if (sums === null) return;
      const current = sums;
      const count = pending;
      sums = null;
      pending = 0;
      try {
        tf.tidy(() => {
          const named: tf.NamedTensorMap = {};
          variables.forEach((variable, i) => {
            let gradient = count === 1 ? current[i] : tf.div(current[i], count);
            if (weightDecay > 0 && !options.decoupledWeightDecay) gradient = tf.add(gradient, tf.mul(variable, weightDecay));
            named[variable.name] = gradient;
          });
          // Adam's and momentum's slots are positional: `named` follows model.trainableWeights.
          optimizer.applyGradients(named);
          if (weightDecay > 0 && options.decoupledWeightDecay) {
            const factor = 1 - learningRate * weightDecay;
            for (const variable of variables) variable.assign(tf.mul(variable, factor));
          }
        });
      } finally {
        tf.dispose(current);
      }
    },

    dispose() {
      if (sums) tf.dispose(sums);
      sums = null;
      pending = 0;
    },
  };
}
