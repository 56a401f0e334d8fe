import { tf } from '@ovus/ml-engine';
import type { TaskName } from '@ovus/domain';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMultiTaskModel,
  getModelTasks,
  loadModel,
  loadOptimizerState,
  multiTaskLoss,
  saveModel,
  saveOptimizerState,
  setBackboneTrainable,
  trainableWeightPaths,
} from '../src/index';
import { images, maxAbsDiff, temporaryFolder, useWasm } from './engine';

beforeAll(useWasm);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function folder(): Promise<string> {
  const { path, remove } = await temporaryFolder('optimizer');
  cleanups.push(remove);
  return path;
}

interface Batch {
  bmus: tf.Tensor4D;
  ceus: tf.Tensor4D;
  labels: Partial<Record<TaskName, tf.Tensor1D>>;
}

function batch(seed: number): Batch {
  return {
    bmus: images(4, 32, 3, seed),
    ceus: images(4, 32, 3, seed + 1),
    labels: { solid: tf.tensor1d([0, 1, 1, -1], 'int32'), malignancy: tf.tensor1d([1, 0, 1, 0], 'int32') },
  };
}

/** One Adam step over model.trainableWeights in order, as createTrainStep does. */
function step(model: tf.LayersModel, optimizer: tf.Optimizer, { bmus, ceus, labels }: Batch): void {
  const tasks = getModelTasks(model);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  optimizer.minimize(
    () => {
      const outputs = model.apply([bmus, ceus], { training: true }) as tf.Tensor[];
      return multiTaskLoss(Object.fromEntries(tasks.map((t, i) => [t, outputs[i]])), labels).total;
    },
    false,
    variables,
  );
}

const config = {
  backbone: 'resnet18',
  backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 },
  tasks: ['solid', 'malignancy'] as TaskName[],
  inputSize: 32,
  dropout: 0,
};

describe('saveOptimizerState / loadOptimizerState', () => {
  it('resuming from a checkpoint continues exactly like uninterrupted training', async () => {
    const dir = await folder();
    const [first, second] = [batch(1), batch(3)];
    const model = buildMultiTaskModel(config);
    const optimizer = tf.train.adam(0.01);
    for (let i = 0; i < 3; i++) step(model, optimizer, first);
    await saveModel(model, dir);
    await saveOptimizerState(optimizer, model, dir);
    for (let i = 0; i < 2; i++) step(model, optimizer, second);

    const { model: resumed } = await loadModel(dir);
    const state = await loadOptimizerState(resumed, dir);
    expect(state.iterations).toBe(3);
    expect(state.restored).toBe(resumed.trainableWeights.length);
    expect(state.initialised).toEqual([]);
    expect(state.optimizer.getConfig()).toEqual(optimizer.getConfig());
    for (let i = 0; i < 2; i++) step(resumed, state.optimizer, second);

    // The same two steps with a fresh Adam land elsewhere: the restored moments matter.
    const { model: restarted } = await loadModel(dir);
    const freshAdam = tf.train.adam(0.01);
    for (let i = 0; i < 2; i++) step(restarted, freshAdam, second);

    const probe = [images(3, 32, 3, 9), images(3, 32, 3, 10)];
    const predict = (m: tf.LayersModel): tf.Tensor[] => m.predict(probe) as tf.Tensor[];
    const [want, got, other] = [predict(model), predict(resumed), predict(restarted)];
    want.forEach((w, i) => expect(maxAbsDiff(w, got[i])).toBeLessThan(1e-6));
    expect(Math.max(...want.map((w, i) => maxAbsDiff(w, other[i])))).toBeGreaterThan(1e-4);

    tf.dispose([...probe, ...want, ...got, ...other, ...Object.values(first), ...Object.values(second)]);
    [optimizer, state.optimizer, freshAdam].forEach((o) => o.dispose());
    [model, resumed, restarted].forEach((m) => m.dispose());
  });

  it('after unfreezing, backbone moments start at zero; after freezing, theirs are dropped', async () => {
    const dir = await folder();
    const data = batch(5);
    const model = buildMultiTaskModel(config);
    setBackboneTrainable(model, false);
    const headPaths = trainableWeightPaths(model);
    const optimizer = tf.train.adam(0.01);
    step(model, optimizer, data);
    await saveOptimizerState(optimizer, model, dir);

    setBackboneTrainable(model, true);
    const unfrozen = await loadOptimizerState(model, dir);
    expect(unfrozen.restored).toBe(headPaths.length);
    expect(unfrozen.initialised).toHaveLength(model.trainableWeights.length - headPaths.length);
    expect(unfrozen.initialised.every((p) => p.startsWith('backbone/'))).toBe(true);
    step(model, unfrozen.optimizer, data); // the positional slots line up with the gradients
    await saveOptimizerState(unfrozen.optimizer, model, dir);

    setBackboneTrainable(model, false);
    const refrozen = await loadOptimizerState(model, dir);
    expect(refrozen.restored).toBe(headPaths.length);
    expect(refrozen.dropped.length).toBeGreaterThan(0);
    expect(refrozen.dropped.every((p) => p.startsWith('backbone/'))).toBe(true);
    tf.dispose(Object.values(data));
    [optimizer, unfrozen.optimizer, refrozen.optimizer].forEach((o) => o.dispose());
    model.dispose();
  });

  it('explains what it cannot do', async () => {
    const dir = await folder();
    const model = buildMultiTaskModel(config);
    await expect(saveOptimizerState(tf.train.sgd(0.1), model, dir)).rejects.toThrow(/Only Adam's state can be saved; got a SGD/);
    await expect(loadOptimizerState(model, dir)).rejects.toThrow(/Cannot read optimizer state '.*optimizer.json' \(ENOENT\)/);
    model.dispose();
  });
});
