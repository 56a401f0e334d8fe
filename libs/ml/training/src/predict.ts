import { tf } from '@ovus/ml-engine';
import { getModelTasks, type PerTask } from '@ovus/ml-models';
import { checkImages, type ImageBatch } from './batch';

export interface PredictOptions {
  /** Pairs per forward pass; bounds memory for large inputs. Default 32. */
  batchSize?: number;
}

/**
 * Class probabilities per task in inference mode: for each task, a Float32Array of n × classes,
 * row-major (case i's class j at i·classes + j), classes in the order of TASKS[task].codes.
 */
export function predict(model: tf.LayersModel, batch: ImageBatch, options: PredictOptions = {}): PerTask<Float32Array> {
  const tasks = getModelTasks(model);
  checkImages(model, batch);
  const outputs = model.predict([batch.bmus, batch.ceus], { batchSize: options.batchSize ?? 32 });
  const list = Array.isArray(outputs) ? outputs : [outputs];
  try {
    return Object.fromEntries(tasks.map((task, i) => [task, list[i].dataSync() as Float32Array]));
  } finally {
    tf.dispose(list);
  }
}
