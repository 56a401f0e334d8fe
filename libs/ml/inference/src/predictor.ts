// A trained run's model, ready to predict: loaded from the checkpoint bundle the run stored (the
// same bytes training wrote), with where it came from, so every answer can say which model gave it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASK_NAMES, TASKS, type TaskName } from '@ovus/domain';
import { tf } from '@ovus/ml-engine';
import { getModelTasks, loadModel, type ResolvedMultiTaskConfig } from '@ovus/ml-models';
import { predict, unpackBundle } from '@ovus/ml-training';
import type { LoadedPair } from './input-pair';

export interface ModelSource {
  runId: string;
  /** The artifact the model came from, e.g. checkpoints/best-epoch-0003.ckpt. */
  artifactPath: string;
  /** sha256 of the stored checkpoint bundle. */
  sha256: string;
}

export interface Predictor {
  model: tf.LayersModel;
  config: ResolvedMultiTaskConfig;
  tasks: TaskName[];
  source: ModelSource;
  dispose(): void;
}

/** Unusable checkpoint bytes (not a bundle, damaged, or not a multi-task model). */
export class UnusableCheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableCheckpointError';
  }
}

export async function loadPredictor(bundle: Uint8Array, source: ModelSource): Promise<Predictor> {
  const folder = await mkdtemp(join(tmpdir(), 'ovus-predict-'));
  try {
    try {
      await unpackBundle(bundle, folder);
    } catch (error) {
      throw new UnusableCheckpointError(`Run ${source.runId}: ${source.artifactPath} cannot be unpacked (${(error as Error).message}). Train the run again (ovus rerun ${source.runId}).`);
    }
    let loaded;
    try {
      loaded = await loadModel(folder);
    } catch (error) {
      throw new UnusableCheckpointError(`Run ${source.runId}: the model in ${source.artifactPath} cannot be loaded (${(error as Error).message}).`);
    }
    if (loaded.build.kind !== 'multi-task') {
      loaded.model.dispose();
      throw new UnusableCheckpointError(`Run ${source.runId}: ${source.artifactPath} holds a bare backbone, not a multi-task model.`);
    }
    const model = loaded.model;
    return { model, config: loaded.build.config, tasks: getModelTasks(model), source, dispose: () => model.dispose() };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export interface ClassProbability {
  code: number;
  name: string;
  probability: number;
}

export interface HeadPrediction {
  task: TaskName;
  title: string;
  /** In the order of TASKS[task].codes; probabilities sum to 1. */
  classes: ClassProbability[];
  /** The most probable class. */
  predicted: ClassProbability;
}

export interface PairPrediction {
  /** One per head the model has, in canonical task order. */
  heads: HeadPrediction[];
  /** Tasks the run was not trained on: no prediction exists for them. */
  absent: TaskName[];
}

/** What prediction needs of a pair: both images at the model's size (a LoadedPair, or a dataset case's images). */
export type PixelPair = Pick<LoadedPair, 'size'> & { bmus: { pixels: Float32Array }; ceus: { pixels: Float32Array } };

/** Every head's class probabilities for each pair (inference mode). */
export function predictPairs(predictor: Predictor, pairs: readonly PixelPair[]): PairPrediction[] {
  const size = predictor.config.inputSize;
  for (const pair of pairs) {
    if (pair.size !== size) throw new RangeError(`The images were prepared at ${pair.size} px but the model takes ${size} px.`);
  }
  const pixels = size * size * 3;
  const stack = (modality: 'bmus' | 'ceus') => {
    const data = new Float32Array(pairs.length * pixels);
    pairs.forEach((pair, i) => data.set(pair[modality].pixels, i * pixels));
    return tf.tensor4d(data, [pairs.length, size, size, 3]);
  };
  const bmus = stack('bmus');
  const ceus = stack('ceus');
  try {
    const probabilities = predict(predictor.model, { bmus, ceus });
    const absent = TASK_NAMES.filter((t) => !predictor.tasks.includes(t));
    return pairs.map((_, i) => ({ heads: predictor.tasks.map((task) => headPrediction(task, probabilities[task] as Float32Array, i)), absent }));
  } finally {
    tf.dispose([bmus, ceus]);
  }
}

function headPrediction(task: TaskName, rows: Float32Array, index: number): HeadPrediction {
  const { codes, classNames, title } = TASKS[task];
  const classes = codes.map((code, j) => ({ code, name: classNames[j], probability: rows[index * codes.length + j] }));
  const predicted = classes.reduce((best, c) => (c.probability > best.probability ? c : best));
  return { task, title, classes, predicted };
}
