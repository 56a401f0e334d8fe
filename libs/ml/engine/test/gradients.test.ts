import { beforeAll, expect, it } from 'vitest';
import { initEngine, tf } from '../src';
import { compareWithCpu, randomValues, RELATIVE_TOLERANCE, seeded } from './compare-backends';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

const shapes: Record<string, number[]> = {
  stem: [3, 3, 3, 8],
  stemBias: [8],
  gamma: [8],
  beta: [8],
  depthwise: [3, 3, 8, 2],
  pointwise: [1, 1, 16, 8],
  fused: [3, 3, 8, 6],
  fusedBias: [6],
  embedding: [5, 6],
  dense: [12, 4],
  denseBias: [4],
};
const rng = seeded(99);
const initial = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, randomValues(rng, shape.reduce((a, b) => a * b))]));
const image = randomValues(rng, 2 * 13 * 11 * 3);
const labels = [1, 3];

let netRuns = 0;

/** A small net with every op family the backbones train through; returns its variables' gradients. */
function gradientsOfSmallNet(): tf.Tensor[] {
  const vars = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, tf.variable(tf.tensor(initial[name], shape), true, `${name}_${++netRuns}`)]));
  try {
    const x = tf.tensor4d(image, [2, 13, 11, 3]);
    const { grads } = tf.variableGrads(() => {
      let h = tf.add(tf.conv2d(x, vars.stem as tf.Tensor4D, 2, 'same'), vars.stemBias);
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      h = tf.batchNorm(h, mean, variance, vars.beta, vars.gamma, 1e-3);
      h = tf.relu6(h);
      h = tf.depthwiseConv2d(h as tf.Tensor4D, vars.depthwise as tf.Tensor4D, 1, 'same');
      h = tf.mul(h, tf.div(tf.relu6(tf.add(h, 3)), 6)); // hard-swish
      h = tf.conv2d(h as tf.Tensor4D, vars.pointwise as tf.Tensor4D, 1, 'valid');
      h = tf.maxPool(h as tf.Tensor4D, 3, 2, 'same');
      h = tf.fused.conv2d({ x: h as tf.Tensor4D, filter: vars.fused as tf.Tensor4D, strides: 1, pad: 'same', bias: vars.fusedBias, activation: 'relu' });
      const pooled = tf.mean(h, [1, 2]); // [2, 6]
      const token = tf.gather(vars.embedding, [1, 3]); // [2, 6]
      const features = tf.concat([pooled, token], 1); // [2, 12]
      const logits = tf.add(tf.matMul(features, vars.dense), vars.denseBias);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 4), logits) as tf.Scalar;
    }, Object.values(vars));
    return Object.keys(shapes).map((name) => grads[vars[name].name]);
  } finally {
    Object.values(vars).forEach((v) => v.dispose());
  }
}

it('a small conv net has the same variable gradients on wasm as on cpu', async () => {
  const difference = await compareWithCpu(gradientsOfSmallNet);
  console.log(`small net gradients, wasm vs cpu: max abs err ${difference.maxAbsError.toExponential(2)} (max |grad| ${difference.scale.toFixed(3)})`);
  expect(difference.scale).toBeGreaterThan(0);
  expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
});
