// A checkpoint is a folder: the model (saveModel: architecture, every weight, frozen state), the
// optimizer's state, and training-state.json — where the loop stands (epoch, global step), the
// model-selection and early-stopping bookkeeping, and how its random streams continue. Written
// at the end of each epoch; resuming from it continues exactly as if never interrupted.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { tf } from '@ovus/ml-engine';
import { loadModel, saveModel, type ModelBuildConfig } from '@ovus/ml-models';
import { z } from 'zod';
import type { OptimizerSettings } from './loop-config';
import { loadOptimizer, saveOptimizer } from './optimizers';

export const TRAINING_STATE_FILE = 'training-state.json';

const stateSchema = z.object({
  format: z.literal('ovus-training-state'),
  version: z.literal(1),
  /** Epochs completed (1-based count). */
  epoch: z.number().int().min(0),
  /** Batches trained so far: the step of the per-batch metrics. */
  globalStep: z.number().int().min(0),
  optimizer: z.enum(['adam', 'sgd', 'adamw']),
  learningRate: z.number(),
  selection: z.object({
    metric: z.string(),
    bestEpoch: z.number().int().min(1).nullable(),
    bestValue: z.number().nullable(),
    epochsWithoutImprovement: z.number().int().min(0),
  }),
  stoppedEarly: z.boolean(),
  /**
   * Every random stream is derived from (seed, purpose, epoch) — shuffling, augmentation and
   * dropout of epoch e start fresh from deriveRng(seed, purpose, e) — so the state to resume them is
   * the seed and the next epoch.
   */
  rng: z.object({ scheme: z.literal('derived-per-epoch'), seed: z.number().int(), nextEpoch: z.number().int().min(1) }),
});

export type TrainingState = z.infer<typeof stateSchema>;

export async function writeCheckpoint(
  folder: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  settings: OptimizerSettings,
  state: TrainingState,
): Promise<void> {
  // Written beside, then swapped in, so the folder is always one whole checkpoint.
  const partial = `${folder}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await saveModel(model, partial);
  await saveOptimizer(optimizer, settings, model, partial);
  await writeFile(join(partial, TRAINING_STATE_FILE), JSON.stringify(stateSchema.parse(state), null, 2));
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
}

export async function readTrainingState(folder: string): Promise<TrainingState> {
  const path = join(folder, TRAINING_STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${path} (${(error as NodeJS.ErrnoException).code}): not a training checkpoint folder.`);
  }
  const parsed = stateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${path} is not a training state this version understands: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  build: ModelBuildConfig;
  optimizer: tf.Optimizer;
  state: TrainingState;
}

export async function readCheckpoint(folder: string, settings: OptimizerSettings): Promise<LoadedCheckpoint> {
  const state = await readTrainingState(folder);
  if (state.optimizer !== settings.name) {
    throw new Error(`The checkpoint in ${folder} was trained with ${state.optimizer}, but the run's config says ${settings.name}.`);
  }
  const { model, build } = await loadModel(folder);
  try {
    const optimizer = await loadOptimizer(settings, model, folder);
    return { model, build, optimizer, state };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
