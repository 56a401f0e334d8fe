import type { tf } from '@ovus/ml-engine';
import { TASKS, type TaskName } from '@ovus/domain';
import type { PerTask } from '@ovus/ml-models';

/** Paired images, [n, size, size, 3] each, in [0, 1] (the models normalise for their backbone). */
export interface ImageBatch {
  bmus: tf.Tensor4D;
  ceus: tf.Tensor4D;
}

/** Images plus, for every task of the model, n class indices (-1 where a case has no label). */
export interface TrainBatch extends ImageBatch {
  labels: PerTask<Int32Array>;
}

export function checkImages(model: tf.LayersModel, batch: ImageBatch): number {
  const expected = model.inputs[0].shape.slice(1);
  for (const modality of ['bmus', 'ceus'] as const) {
    const shape = batch[modality].shape;
    if (shape.length !== 4 || shape.slice(1).some((d, i) => d !== expected[i])) {
      throw new RangeError(`batch.${modality} has shape [${shape}]; the model takes [n, ${expected.join(', ')}].`);
    }
  }
  const n = batch.bmus.shape[0];
  if (batch.ceus.shape[0] !== n) {
    throw new RangeError(`batch.bmus has ${n} images but batch.ceus has ${batch.ceus.shape[0]}; they must be pairs.`);
  }
  if (n === 0) throw new RangeError('The batch is empty.');
  return n;
}

export function checkLabels(tasks: readonly TaskName[], labels: PerTask<Int32Array>, n: number): void {
  for (const task of tasks) {
    const values = labels[task];
    if (values === undefined) {
      throw new RangeError(`batch.labels has no '${task}'; give n class indices, -1 for cases without that label.`);
    }
    if (values.length !== n) {
      throw new RangeError(`batch.labels.${task} has ${values.length} values for ${n} image pairs.`);
    }
    const classes = TASKS[task].codes.length;
    const bad = values.findIndex((v) => v < -1 || v >= classes);
    if (bad >= 0) {
      throw new RangeError(
        `batch.labels.${task}[${bad}] is ${values[bad]}; class indices run 0..${classes - 1} (-1 = missing). ` +
          `Convert paper codes with encodeLabels.`,
      );
    }
  }
}
