// Batches as typed arrays: the cases' cached [0, 1] images copied (or augmented) into one buffer
// per modality, then handed to tfjs as one tensor each.
import { tf } from '@ovus/ml-engine';
import type { TaskName } from '@ovus/domain';
import { augmentPair, type AugmentationOptions, type Rng } from '@ovus/data';
import type { PerTask } from '@ovus/ml-models';
import type { TrainBatch } from '../batch';
import type { PreparedPart } from './run-data';

export interface HostBatch {
  size: number;
  count: number;
  bmus: Float32Array;
  ceus: Float32Array;
  labels: PerTask<Int32Array>;
}

export interface BatchAugmentation {
  rng: Rng;
  options: Partial<AugmentationOptions>;
}

/** The cases at `indices` of a part, augmented (in the order given, so the rng stream is fixed) or copied. */
export function assembleBatch(part: PreparedPart, indices: readonly number[], tasks: readonly TaskName[], augmentation?: BatchAugmentation): HostBatch {
  const pixels = part.size * part.size * 3;
  const count = indices.length;
  // A fresh buffer per batch: the cpu backend keeps a reference to the array a tensor was made from.
  const bmus = new Float32Array(count * pixels);
  const ceus = new Float32Array(count * pixels);
  indices.forEach((index, row) => {
    const pair = augmentation
      ? augmentPair(part.bmus[index], part.ceus[index], part.size, augmentation.rng, augmentation.options)
      : { bmus: part.bmus[index], ceus: part.ceus[index] };
    bmus.set(pair.bmus, row * pixels);
    ceus.set(pair.ceus, row * pixels);
  });
  const labels: PerTask<Int32Array> = {};
  for (const task of tasks) {
    const all = part.labels[task] as Int32Array;
    labels[task] = Int32Array.from(indices, (i) => all[i]);
  }
  return { size: part.size, count, bmus, ceus, labels };
}

/** The batch as tensors; the caller disposes bmus and ceus. */
export function batchTensors(batch: HostBatch): TrainBatch {
  const shape: [number, number, number, number] = [batch.count, batch.size, batch.size, 3];
  return { bmus: tf.tensor4d(batch.bmus, shape), ceus: tf.tensor4d(batch.ceus, shape), labels: batch.labels };
}

/** [0, 1, …, n-1] cut into consecutive batches of `batchSize` (the last may be smaller). */
export function chunk<T>(items: readonly T[], batchSize: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += batchSize) out.push(items.slice(i, i + batchSize));
  return out;
}
