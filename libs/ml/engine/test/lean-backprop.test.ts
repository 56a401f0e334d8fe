// The early freeing during the backward pass changes when tensors go, never what is computed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine, setLeanBackprop, tf } from '../src';

let model: tf.LayersModel;
let inputs: tf.Tensor4D[];

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
  // One backbone (conv, batch norm, depthwise, pooling) applied to two images, features joined, two heads.
  const backboneInput = tf.input({ shape: [16, 16, 3] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(backboneInput) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const backbone = tf.model({ inputs: backboneInput, outputs: x });
  const [a, b] = [tf.input({ shape: [16, 16, 3] }), tf.input({ shape: [16, 16, 3] })];
  const joined = tf.layers.concatenate().apply([backbone.apply(a) as tf.SymbolicTensor, backbone.apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const heads = [2, 4].map((units, i) =>
    tf.layers.dense({ units, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 + i }) }).apply(joined) as tf.SymbolicTensor,
  );
  model = tf.model({ inputs: [a, b], outputs: heads });
  inputs = [1, 2].map((seed) => tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D);
});

afterAll(() => {
  setLeanBackprop(true);
  tf.dispose(inputs);
  model.dispose();
});

function loss(): tf.Scalar {
  const [p, q] = model.apply(inputs, { training: true }) as tf.Tensor[];
  return tf.add(tf.sum(tf.mul(p, p)), tf.sum(tf.log(tf.add(q, 1e-3)))) as tf.Scalar;
}

/** Gradients of every trainable weight, as arrays, and the peak tensor memory of computing them. */
async function gradientsAndPeak(): Promise<{ grads: Float32Array[]; peak: number; leaked: number }> {
  const before = tf.memory().numTensors;
  let grads: Float32Array[] = [];
  const profile = await tf.profile(() => {
    const { value, grads: named } = tf.variableGrads(loss);
    grads = Object.values(named).map((g) => g.dataSync() as Float32Array);
    tf.dispose([value, ...Object.values(named)]);
  });
  return { grads, peak: profile.peakBytes, leaked: tf.memory().numTensors - before };
}

describe('lean backprop', () => {
  it('computes the same gradients as tfjs alone, holds less memory at its peak, and leaks nothing', async () => {
    setLeanBackprop(false);
    const stock = await gradientsAndPeak();
    setLeanBackprop(true);
    const lean = await gradientsAndPeak();
    expect(lean.grads).toHaveLength(stock.grads.length);
    lean.grads.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(stock.grads[i] as Float32Array)));
    expect(lean.peak).toBeLessThan(stock.peak);
    expect([stock.leaked, lean.leaked]).toEqual([0, 0]);
  });

  it('leaves a dy the caller passes alone', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const dy = tf.tensor1d([1, 10, 100]);
    const [dx] = tf.grads((v: tf.Tensor) => tf.mul(tf.square(v), 2))([x], dy);
    expect(dy.isDisposed).toBe(false);
    expect(Array.from(dx.dataSync())).toEqual([4, 80, 1200]);
    tf.dispose([x, dy, dx]);
  });

  it('keeps higher-order gradients working', () => {
    // d²/dx² of x³ is 6x.
    const second = tf.grad(tf.grad((v: tf.Tensor) => tf.pow(v, 3)));
    const x = tf.tensor1d([1, 2]);
    const result = second(x);
    expect(Array.from(result.dataSync())).toEqual([6, 12]);
    tf.dispose([x, result]);
  });
});
