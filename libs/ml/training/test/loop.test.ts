import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, tf } from '@ovus/ml-engine';
import { createRng } from '@ovus/data';
import { TASK_NAMES } from '@ovus/domain';
import { buildMultiTaskModel, type MultiTaskModelConfig } from '@ovus/ml-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assembleBatch,
  batchNormMomenta,
  batchTensors,
  createLoopStep,
  createTrainStep,
  learningRateForEpoch,
  packFolder,
  readTrainingState,
  setBatchNormMomentum,
  trainModel,
  unpackBundle,
  withSeededMathRandom,
  type LoopConfig,
  type RunData,
  type TrainingOutcome,
} from '../src';
import { phantomRunData, SIZE, tinyConfig } from './loop-fixtures';

let data: RunData;
let cleanup: () => Promise<void>;
let scratch: string;

beforeAll(async () => {
  expect((await initEngine({ backend: 'wasm' })).backend).toBe('wasm');
  ({ data, cleanup } = await phantomRunData());
  scratch = await mkdtemp(join(tmpdir(), 'ovus-loop-work-'));
});

afterAll(async () => {
  await cleanup();
  await rm(scratch, { recursive: true, force: true });
});

let workDirs = 0;
const workDir = () => join(scratch, `run-${++workDirs}`);

describe('learningRateForEpoch', () => {
  const schedule = { kind: 'constant' as const, warmupEpochs: 0, minLearningRate: 0, stepEpochs: 2, gamma: 0.1 };

  it('ramps up over the warm-up epochs, reaching the base rate where the schedule starts', () => {
    const rates = [1, 2, 3, 4].map((e) => learningRateForEpoch(e, 4, 0.3, { ...schedule, warmupEpochs: 2 }));
    expect(rates.map((r) => r.toFixed(6))).toEqual(['0.100000', '0.200000', '0.300000', '0.300000']);
  });

  it('decays by cosine towards the minimum without reaching it, and by steps of gamma', () => {
    const cosine = [1, 2, 3, 4].map((e) => learningRateForEpoch(e, 4, 1, { ...schedule, kind: 'cosine', minLearningRate: 0.2 }));
    // 0.2 + 0.8 (1 + cos(π t)) / 2 for t = 0, 1/4, 1/2, 3/4
    expect(cosine.map((r) => r.toFixed(6))).toEqual(['1.000000', '0.882843', '0.600000', '0.317157']);
    const step = [1, 2, 3, 4, 5].map((e) => learningRateForEpoch(e, 5, 1, { ...schedule, kind: 'step' }));
    expect(step.map((r) => r.toFixed(6))).toEqual(['1.000000', '1.000000', '0.100000', '0.100000', '0.010000']);
  });

  it('refuses an epoch outside the run', () => {
    expect(() => learningRateForEpoch(0, 4, 1, schedule)).toThrow('epoch 0 is outside 1..4');
  });
});

function seededModel(config: MultiTaskModelConfig, seed = 11): tf.LayersModel {
  return withSeededMathRandom(createRng(seed), () => buildMultiTaskModel(config));
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((values, i) => values.forEach((v, j) => (max = Math.max(max, Math.abs(v - b[i][j])))));
  return max;
}

const batchOf = (rows: number[]) => batchTensors(assembleBatch(data.train, rows, TASK_NAMES));

describe('createLoopStep', () => {
  const mobile: MultiTaskModelConfig = { backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 }, tasks: TASK_NAMES, inputSize: SIZE, dropout: 0 };
  // VGG has no batch norm, so a batch split in two has exactly the gradient of the whole batch.
  const vgg: MultiTaskModelConfig = { backbone: 'vgg16', backboneOptions: { widthMultiplier: 0.0625, depthMultiplier: 0.5 }, tasks: TASK_NAMES, inputSize: SIZE, dropout: 0 };

  it('computes what createTrainStep computes with one batch per update, and leaks nothing', () => {
    const [a, b] = [seededModel(mobile), seededModel(mobile)];
    const plain = createTrainStep(a, tf.train.adam(0.01));
    const optimizer = tf.train.adam(0.01);
    const split = createLoopStep(b, optimizer);
    const batch = batchOf([0, 1, 2, 3]);
    let tensors = 0;
    for (let i = 0; i < 3; i++) {
      const expected = plain(batch);
      const got = split.accumulate(batch);
      split.apply(0.01);
      expect(got.total).toBeCloseTo(expected.total, 5);
      if (i === 0) tensors = tf.memory().numTensors;
      else expect(tf.memory().numTensors).toBe(tensors);
    }
    expect(maxDifference(weightsOf(a), weightsOf(b))).toBeLessThan(1e-5);
    tf.dispose([batch.bmus, batch.ceus]);
    a.dispose();
    b.dispose();
  });

  it('accumulates: two halves make the update the whole batch makes', () => {
    const [whole, halves] = [seededModel(vgg), seededModel(vgg)];
    // Plain SGD: the update is linear in the gradient, so this compares the accumulated gradient
    // itself. Adam divides by sqrt(v) and turns float noise in near-zero gradients into steps of
    // up to the learning rate, which says nothing about accumulation.
    const wholeStep = createLoopStep(whole, tf.train.sgd(0.5));
    const halvesStep = createLoopStep(halves, tf.train.sgd(0.5));
    const all = batchOf([0, 1, 2, 3]);
    const first = batchOf([0, 1]);
    const second = batchOf([2, 3]);
    wholeStep.accumulate(all);
    wholeStep.apply(0.5);
    halvesStep.accumulate(first);
    halvesStep.accumulate(second);
    expect(halvesStep.pending).toBe(2);
    halvesStep.apply(0.5);
    expect(halvesStep.pending).toBe(0);
    expect(maxDifference(weightsOf(whole), weightsOf(halves))).toBeLessThan(2e-6);
    tf.dispose([all.bmus, all.ceus, first.bmus, first.ceus, second.bmus, second.ceus]);
    whole.dispose();
    halves.dispose();
  });

  it("decays the weights after the update with AdamW's decoupled decay", () => {
    const [plain, decayed] = [seededModel(vgg), seededModel(vgg)];
    const batch = batchOf([0, 1, 2, 3]);
    const plainStep = createLoopStep(plain, tf.train.adam(0.01));
    const decayedStep = createLoopStep(decayed, tf.train.adam(0.01), { weightDecay: 0.5, decoupledWeightDecay: true });
    plainStep.accumulate(batch);
    plainStep.apply(0.01);
    decayedStep.accumulate(batch);
    decayedStep.apply(0.01);
    const trainable = (m: tf.LayersModel) => m.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
    const expected = trainable(plain).map((values) => values.map((v) => v * (1 - 0.01 * 0.5)));
    expect(maxDifference(trainable(decayed), expected)).toBeLessThan(1e-6);
    tf.dispose([batch.bmus, batch.ceus]);
    plain.dispose();
    decayed.dispose();
  });

  it('refuses a NaN loss before anything is accumulated', () => {
    const model = seededModel(mobile);
    const step = createLoopStep(model, tf.train.adam(0.01));
    const batch = batchOf([0, 1]);
    const poisoned = { ...batch, bmus: tf.fill([2, SIZE, SIZE, 3], Number.NaN) as tf.Tensor4D };
    expect(() => step.accumulate(poisoned)).toThrow(/The loss is NaN.*update was skipped/);
    expect(step.pending).toBe(0);
    tf.dispose([batch.bmus, batch.ceus, poisoned.bmus]);
    model.dispose();
  });
});

interface Recorded {
  outcome: TrainingOutcome;
  stepLosses: Map<number, number>;
  tensorsAfterEpoch: number[];
}

async function train(config: LoopConfig, options: { dir?: string; stopAfterEpoch?: number; resume?: { checkpointDir: string; bestModelDir: string | null } } = {}): Promise<Recorded> {
  const stepLosses = new Map<number, number>();
  const tensorsAfterEpoch: number[] = [];
  const controller = new AbortController();
  const outcome = await trainModel({
    config,
    data,
    workDir: options.dir ?? workDir(),
    resume: options.resume,
    signal: controller.signal,
    callbacks: {
      onStep: (e) => stepLosses.set(e.globalStep, e.losses.total),
      onEpoch: () => tensorsAfterEpoch.push(tf.memory().numTensors),
      onCheckpoint: (e) => {
        if (e.epoch === options.stopAfterEpoch) controller.abort(new Error(`stopped after epoch ${e.epoch}`));
      },
    },
  });
  return { outcome, stepLosses, tensorsAfterEpoch };
}

const testF1 = (o: TrainingOutcome) => TASK_NAMES.map((t) => o.results.test[t]?.f1);

describe('trainModel', () => {
  it('is deterministic for a seed (init, shuffling, augmentation, dropout), differs across seeds, and frees every tensor', async () => {
    const config = tinyConfig({ epochs: 3 });
    const [a, b, c] = [await train(config), await train(config), await train({ ...config, seed: 4 })];
    expect([...a.stepLosses.values()]).toEqual([...b.stepLosses.values()]);
    expect(testF1(a.outcome)).toEqual(testF1(b.outcome));
    expect(a.outcome.results.test.malignancy?.ci?.f1).toEqual(b.outcome.results.test.malignancy?.ci?.f1);
    expect([...c.stepLosses.values()]).not.toEqual([...a.stepLosses.values()]);
    // 15 training cases, batches of 4: 4 steps per epoch, numbered across epochs.
    expect([...a.stepLosses.keys()]).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(a.tensorsAfterEpoch).size).toBe(1);
    expect(a.outcome).toMatchObject({ epochsCompleted: 3, globalStep: 12, stoppedEarly: false });
    expect(Object.keys(a.outcome.results.test)).toEqual([...TASK_NAMES]);
  });

  it.each([
    ['adam, cosine, balanced class weights', tinyConfig({ epochs: 3, freezeBackboneEpochs: 1, classWeights: 'balanced' })],
    ['sgd with momentum, 2 batches per update, L2', tinyConfig({
      epochs: 3,
      gradientAccumulationSteps: 2,
      optimizer: { name: 'sgd', learningRate: 0.01, weightDecay: 1e-3, momentum: 0.9 },
      schedule: { kind: 'step', warmupEpochs: 1, minLearningRate: 0, stepEpochs: 1, gamma: 0.5 },
    })],
  ])('resumes from an epoch checkpoint unpacked elsewhere exactly as if never stopped (%s)', async (_name, config) => {
    const whole = await train(config);
    const dir = workDir();
    await expect(train(config, { dir, stopAfterEpoch: 1 })).rejects.toThrow('stopped after epoch 1');
    // Another host: the checkpoint and best model travel as bundles.
    const moved = workDir();
    await unpackBundle(await packFolder(join(dir, 'checkpoint')), join(moved, 'checkpoint'));
    await unpackBundle(await packFolder(join(dir, 'best')), join(moved, 'best'));
    expect((await readTrainingState(join(moved, 'checkpoint'))).epoch).toBe(1);
    const resumed = await train(config, { resume: { checkpointDir: join(moved, 'checkpoint'), bestModelDir: join(moved, 'best') } });
    expect([...resumed.stepLosses.keys()]).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    for (const [step, loss] of resumed.stepLosses) expect(loss).toBeCloseTo(whole.stepLosses.get(step) as number, 5);
    expect(testF1(resumed.outcome)).toEqual(testF1(whole.outcome));
    expect(resumed.outcome.selectedEpoch).toBe(whole.outcome.selectedEpoch);
  });

  it('stops early when validation does not improve, and scores the best epoch', async () => {
    // No batch norm, no dropout and a zero rate: the validation loss never changes, so never improves.
    const config = tinyConfig({
      epochs: 5,
      model: { backbone: 'vgg16', backboneOptions: { widthMultiplier: 0.0625, depthMultiplier: 0.5 }, tasks: TASK_NAMES, inputSize: SIZE, dropout: 0 },
      optimizer: { name: 'adam', learningRate: 0, weightDecay: 0, momentum: 0.9 },
      earlyStopping: { metric: 'loss', patience: 2 },
    });
    const { outcome } = await train(config);
    expect(outcome).toMatchObject({ epochsCompleted: 3, stoppedEarly: true, selectedEpoch: 1, globalStep: 12 });
  });

  it('refuses what cannot work before training', async () => {
    const noValidation: RunData = { ...data, validation: { ...data.validation, caseIds: [], bmus: [], ceus: [], labels: {} } };
    await expect(trainModel({ config: tinyConfig({ earlyStopping: { metric: 'loss', patience: 3 } }), data: noValidation, workDir: workDir() })).rejects.toThrow(
      'Early stopping needs a validation part',
    );
    await expect(trainModel({ config: tinyConfig({ earlyStopping: { metric: 'solid.recall', patience: 3 } }), data, workDir: workDir() })).rejects.toThrow(
      "Unknown selection metric 'solid.recall'",
    );
    await expect(
      trainModel({ config: tinyConfig({ model: { ...tinyConfig().model, inputSize: 64 } }), data, workDir: workDir() }),
    ).rejects.toThrow('prepared at 32 px but the model takes 64 px');
  });
});

describe('setBatchNormMomentum', () => {
  it('reaches every batch-norm layer, inside nested backbones too', () => {
    const model = seededModel(tinyConfig().model);
    expect(new Set(batchNormMomenta(model))).toEqual(new Set([0.999])); // Keras' MobileNetV3 value
    const count = setBatchNormMomentum(model, 0.9);
    expect(count).toBeGreaterThan(10);
    expect(batchNormMomenta(model)).toEqual(new Array(count).fill(0.9));
    expect(() => setBatchNormMomentum(model, 1)).toThrow('batch-norm momentum must be in [0, 1)');
    model.dispose();
  });
});

describe('checkpoint bundles', () => {
  it('round-trip a folder and detect damage', async () => {
    const dir = workDir();
    await expect(train(tinyConfig({ epochs: 2 }), { dir, stopAfterEpoch: 1 })).rejects.toThrow();
    const bundle = await packFolder(join(dir, 'checkpoint'));
    const names = await unpackBundle(bundle, join(dir, 'copy'));
    expect(names).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'training-state.json', 'weights.bin']);
    expect(await readTrainingState(join(dir, 'copy'))).toEqual(await readTrainingState(join(dir, 'checkpoint')));
    const damaged = Buffer.from(bundle);
    damaged[damaged.length - 1] ^= 0xff;
    await expect(unpackBundle(damaged, join(dir, 'bad'))).rejects.toThrow(/damaged: '.*' does not match/);
    await expect(unpackBundle(Buffer.from('not a bundle'), join(dir, 'bad'))).rejects.toThrow('bad magic bytes');
  });
});
