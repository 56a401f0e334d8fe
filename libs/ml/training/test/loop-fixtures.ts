// A small real phantom (rendered PNGs, validated like any import) and tiny run configs for the
// loop tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHoldoutSplit, synthesizePhantom, validateDataset } from '@ovus/data';
import { TASK_NAMES } from '@ovus/domain';
import { prepareRunData, type LoopConfig, type RunData } from '../src';

export const SIZE = 32;

export async function phantomRunData(cases = 24): Promise<{ data: RunData; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ovus-loop-'));
  const phantom = await synthesizePhantom({ outDir: join(dir, 'phantom'), seed: 1, cases, imageSize: SIZE });
  const validated = await validateDataset(phantom.manifestPath);
  if (!validated.ok) throw new Error(`phantom did not validate: ${validated.issues.map((i) => i.message).join('; ')}`);
  const { dataset } = validated;
  const split = makeHoldoutSplit(dataset.cases, { seed: 0, fractions: { train: 0.6, validation: 0.2, test: 0.2 } });
  const data = await prepareRunData({ rootDir: dataset.rootDir, cases: dataset.cases, split, tasks: TASK_NAMES, imageSize: SIZE });
  return { data, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function tinyConfig(overrides: Partial<LoopConfig> = {}): LoopConfig {
  return {
    model: { backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 }, tasks: TASK_NAMES, inputSize: SIZE, dropout: 0.2 },
    epochs: 2,
    batchSize: 4,
    gradientAccumulationSteps: 1,
    optimizer: { name: 'adam', learningRate: 1e-3, weightDecay: 0, momentum: 0.9 },
    schedule: { kind: 'cosine', warmupEpochs: 0, minLearningRate: 0, stepEpochs: 10, gamma: 0.1 },
    seed: 3,
    augmentation: { enabled: true, flipProbability: 0.5, maxRotationDeg: 10, brightness: 0.08, contrast: 0.2, speckle: 0.1 },
    earlyStopping: null,
    freezeBackboneEpochs: 0,
    pretrainedWeights: null,
    taskWeights: {},
    classWeights: 'none',
    evaluation: { bootstrapResamples: 50, confidenceLevel: 0.95 },
    batchNormMomentum: 0.9,
    ...overrides,
  };
}
