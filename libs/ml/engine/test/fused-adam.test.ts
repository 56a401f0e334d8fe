import { beforeAll, expect, it } from 'vitest';
import { createAdamOptimizer, initEngine, tf } from '../src';
import { compareWithCpu, randomValues, RELATIVE_TOLERANCE, seeded } from './compare-backends';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

const rng = seeded(4);
// 1031 elements: not a multiple of 4, so the SIMD loop's scalar tail runs too.
const start = { w: randomValues(rng, 1031), b: randomValues(rng, 3) };
const targets = { w: randomValues(rng, 1031), b: randomValues(rng, 3) };
let runs = 0;

/** Three Adam steps on a quadratic; returns the variables and the optimizer's saved state. */
function train(makeOptimizer: () => tf.Optimizer): tf.Tensor[] {
  runs++;
  const w = tf.variable(tf.tensor(start.w), true, `w_${runs}`);
  const b = tf.variable(tf.tensor(start.b), true, `b_${runs}`);
  const optimizer = makeOptimizer();
  try {
    for (let step = 0; step < 3; step++) {
      optimizer.minimize(() => tf.add(tf.sum(tf.square(tf.sub(w, targets.w))), tf.sum(tf.mul(tf.square(tf.sub(b, targets.b)), 3))) as tf.Scalar);
    }
    return [tf.clone(w), tf.clone(b)];
  } finally {
    optimizer.dispose();
    w.dispose();
    b.dispose();
  }
}

it('createAdamOptimizer on wasm follows tf.train.adam on cpu', async () => {
  const difference = await compareWithCpu(
    () => train(() => createAdamOptimizer(0.05)),
    () => train(() => tf.train.adam(0.05)),
  );
  console.log(`fused Adam (wasm) vs tf.train.adam (cpu), 3 steps: max abs err ${difference.maxAbsError.toExponential(2)}`);
  expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
});

it('createAdamOptimizer on cpu (JS kernel) follows tf.train.adam on cpu', async () => {
  await tf.setBackend('cpu');
  const fused = tf.tidy(() => train(() => createAdamOptimizer(0.05)).map((t) => Array.from(t.dataSync())));
  const stock = tf.tidy(() => train(() => tf.train.adam(0.05)).map((t) => Array.from(t.dataSync())));
  fused.flat().forEach((value, i) => expect(value).toBeCloseTo(stock.flat()[i], 5));
});

it('keeps AdamOptimizer state: same weight names and values as the stock optimizer', async () => {
  await tf.setBackend('wasm');
  const saved = async (optimizer: tf.Optimizer) => {
    const v = tf.variable(tf.tensor([1, 2, 3]), true, `state_${++runs}`);
    optimizer.minimize(() => tf.sum(tf.square(v)) as tf.Scalar, false, [v]);
    const weights = await optimizer.getWeights();
    const described = weights.map((w) => ({ name: w.name.replace(/state_\d+/, 'v'), values: Array.from(w.tensor.dataSync()) }));
    optimizer.dispose();
    v.dispose();
    return described;
  };
  const fused = await saved(createAdamOptimizer(0.1));
  const stock = await saved(tf.train.adam(0.1));
  expect(fused.map((w) => w.name)).toEqual(stock.map((w) => w.name));
  fused.forEach((w, i) => w.values.forEach((value, k) => expect(value).toBeCloseTo(stock[i].values[k], 6)));
});

it('runs one OvusAdamUpdate kernel per variable on wasm instead of the stock per-op chain', async () => {
  await tf.setBackend('wasm');
  const v = tf.variable(tf.ones([10]), true, `profiled_${++runs}`);
  const optimizer = createAdamOptimizer(0.1);
  const profile = await tf.profile(() => void optimizer.minimize(() => tf.sum(tf.square(v)) as tf.Scalar, false, [v]));
  const names = profile.kernels.map((k) => k.name);
  expect(names.filter((n) => n === 'OvusAdamUpdate')).toHaveLength(1);
  expect(names).not.toContain('Sqrt');
  optimizer.dispose();
  v.dispose();
});

it('continues bit for bit after its state is saved and loaded (a resumed run equals an uninterrupted one)', async () => {
  const gradients = Array.from({ length: 80 }, (_, step) => randomValues(seeded(100 + step), 257));
  const run = async (restoreAt: number | null): Promise<Float32Array> => {
    runs++;
    let w = tf.variable(tf.tensor(start.w.slice(0, 257)), true, `resume_w_${runs}`);
    let optimizer = createAdamOptimizer(0.01);
    for (let step = 0; step < gradients.length; step++) {
      if (step === restoreAt) {
        // What a checkpoint holds: the weights and getWeights(); a new process loads them.
        const weights = (await optimizer.getWeights()).map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
        const values = w.dataSync().slice();
        optimizer.dispose();
        w.dispose();
        runs++;
        w = tf.variable(tf.tensor(values), true, `resume_w_${runs}`);
        optimizer = createAdamOptimizer(0.01);
        await optimizer.setWeights(weights.map(({ name, tensor }) => ({ name: name.replace(/resume_w_\d+/, w.name), tensor })));
        tf.dispose(weights.map((x) => x.tensor));
      }
      tf.tidy(() => optimizer.applyGradients([{ name: w.name, tensor: tf.tensor(gradients[step] as Float32Array) }]));
    }
    const result = w.dataSync().slice() as Float32Array;
    optimizer.dispose();
    w.dispose();
    return result;
  };
  const uninterrupted = await run(null);
  const resumed = await run(50);
  expect(Array.from(resumed)).toEqual(Array.from(uninterrupted));
});
