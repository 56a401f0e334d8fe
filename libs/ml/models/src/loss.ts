import { tf } from '@ovus/ml-engine';
import { TASKS, type TaskName } from '@ovus/domain';

/** A value per task, for the tasks a model has. */
export type PerTask<T> = Partial<Record<TaskName, T>>;

/** Label index meaning "this case has no label for this task". */
export const MISSING_LABEL = -1;

export interface MultiTaskLossOptions {
  /** Multiplies each task's cross-entropy in the sum; default 1 (the paper's plain sum). */
  taskWeights?: PerTask<number>;
  /** Per task, a weight per class index (e.g. from balancedClassWeights). */
  classWeights?: PerTask<readonly number[]>;
  /** Probabilities below epsilon are raised to it before the log, as Keras does. Default 1e-7. */
  epsilon?: number;
}

export interface MultiTaskLoss {
  total: tf.Scalar;
  perTask: PerTask<tf.Scalar>;
}

function checkInputs(task: TaskName, probabilities: tf.Tensor, labels: tf.Tensor | undefined): asserts labels is tf.Tensor1D {
  const classes = TASKS[task].codes.length;
  if (labels === undefined) {
    throw new RangeError(`No labels for task '${task}'; pass ${MISSING_LABEL} for cases without a label.`);
  }
  if (probabilities.rank !== 2 || probabilities.shape[1] !== classes) {
    throw new RangeError(`Task '${task}' expects probabilities of shape [batch, ${classes}]; got [${probabilities.shape}].`);
  }
  if (labels.rank !== 1 || labels.shape[0] !== probabilities.shape[0]) {
    throw new RangeError(`Task '${task}' has ${probabilities.shape[0]} predictions but labels of shape [${labels.shape}].`);
  }
}

/**
 * The paper's loss: the sum over tasks of each head's categorical cross-entropy, averaged over the
 * cases that have a label for that task. Labels are class indices (int32), MISSING_LABEL for none;
 * a task with no label in the batch adds 0. Pure tensor code, so it can run inside
 * tf.variableGrads / optimizer.minimize; the caller owns the returned scalars.
 */
export function multiTaskLoss(
  probabilities: PerTask<tf.Tensor>,
  labels: PerTask<tf.Tensor>,
  options: MultiTaskLossOptions = {},
): MultiTaskLoss {
  const epsilon = options.epsilon ?? 1e-7;
  const perTask: PerTask<tf.Scalar> = {};
  const weighted: tf.Scalar[] = [];
  for (const task of Object.keys(probabilities) as TaskName[]) {
    const p = probabilities[task] as tf.Tensor;
    const y = labels[task];
    checkInputs(task, p, y);
    const classes = TASKS[task].codes.length;
    const classWeights = options.classWeights?.[task];
    if (classWeights && classWeights.length !== classes) {
      throw new RangeError(`classWeights for '${task}' need ${classes} values (one per class); got ${classWeights.length}.`);
    }
    const loss = tf.tidy(() => {
      const labelled = tf.greaterEqual(y, 0);
      const safeLabels = tf.where(labelled, y, tf.zerosLike(y));
      const target = tf.mul(tf.oneHot(tf.cast(safeLabels, 'int32'), classes), tf.expandDims(tf.cast(labelled, 'float32'), 1));
      // maximum, not clipByValue: wasm's clip turns NaN into epsilon, which would hide a diverged model.
      const crossEntropy = tf.neg(tf.sum(tf.mul(target, tf.log(tf.maximum(p, epsilon))), 1));
      const sampleWeights = classWeights ? tf.sum(tf.mul(target, tf.tensor1d([...classWeights])), 1) : tf.sum(target, 1);
      const count = tf.maximum(tf.sum(tf.cast(labelled, 'float32')), 1);
      return tf.div(tf.sum(tf.mul(sampleWeights, crossEntropy)), count) as tf.Scalar;
    });
    perTask[task] = loss;
    weighted.push(tf.mul(loss, options.taskWeights?.[task] ?? 1));
  }
  if (weighted.length === 0) throw new RangeError('multiTaskLoss got no task outputs.');
  const total = tf.tidy(() => tf.addN(weighted) as tf.Scalar);
  tf.dispose(weighted);
  return { total, perTask };
}

/**
 * Sklearn's 'balanced' class weights, n / (classes · count), from label indices (missing ignored).
 * A class absent from the labels gets weight 1.
 */
export function balancedClassWeights(task: TaskName, labels: Int32Array): number[] {
  const classes = TASKS[task].codes.length;
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) if (label >= 0) counts[label]++;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count) => (count === 0 ? 1 : total / (classes * count)));
}
