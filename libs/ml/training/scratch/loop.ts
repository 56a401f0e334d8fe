import { initEngine, tf } from '@ovus/ml-engine';
import { synthesizePhantom, validateDataset, makeHoldoutSplit } from '@ovus/data';
import { TASK_NAMES } from '@ovus/domain';
import { trainModel, prepareRunData, type LoopConfig } from '../src';
const size = Number(process.env.SIZE ?? 32);
const cases = Number(process.env.CASES ?? 24);
await initEngine({ backend: 'wasm' });
const dir = `/tmp/ovus-scratch-phantom-${cases}-${size}`;
let t = Date.now();
const ph = await synthesizePhantom({ outDir: dir, seed: 1, cases, imageSize: size });
const v = await validateDataset(ph.manifestPath);
if (!v.ok) throw new Error('bad');
console.log('phantom+validate ms', Date.now() - t);
const split = makeHoldoutSplit(v.dataset.cases, { seed: 0, fractions: { train: 0.7, validation: 0.1, test: 0.2 } });
t = Date.now();
const data = await prepareRunData({ rootDir: v.dataset.rootDir, cases: v.dataset.cases, split, tasks: TASK_NAMES, imageSize: size });
console.log('prepare ms', Date.now() - t, data.train.caseIds.length, data.validation.caseIds.length, data.test.caseIds.length);
const config: LoopConfig = {
  model: { backbone: process.env.BB ?? 'mobilenet-v3-small', backboneOptions: { widthMultiplier: Number(process.env.W ?? 0.25) }, tasks: TASK_NAMES, inputSize: size, dropout: 0.2 },
  epochs: Number(process.env.EPOCHS ?? 2), batchSize: 8, gradientAccumulationSteps: 1,
  optimizer: { name: 'adam', learningRate: 1e-3, weightDecay: 0, momentum: 0.9 },
  schedule: { kind: 'cosine', warmupEpochs: 0, minLearningRate: 0, stepEpochs: 10, gamma: 0.1 },
  seed: 1, augmentation: { enabled: true, flipProbability: 0.5, maxRotationDeg: 10, brightness: 0.08, contrast: 0.2, speckle: 0.1 },
  earlyStopping: null, freezeBackboneEpochs: 0, pretrainedWeights: null, taskWeights: {}, classWeights: 'none',
  evaluation: { bootstrapResamples: 200, confidenceLevel: 0.95 },
};
t = Date.now();
let tStep = Date.now();
const out = await trainModel({ config, data, workDir: '/tmp/ovus-scratch-work', callbacks: {
  onStep: (e) => { if (e.step === 1) tStep = Date.now(); },
  onEpoch: (e) => console.log('epoch', e.epoch, e.trainLoss.total.toFixed(4), e.validation?.loss.toFixed(4), 'ms', e.durationMs.toFixed(0), 'img/s', e.examplesPerSecond.toFixed(1), 'tensors', tf.memory().numTensors),
  onLog: console.log,
} });
console.log('train ms', Date.now() - t, 'malignancy test', out.results.test.malignancy?.accuracy, out.results.test.malignancy?.f1, out.timings);
