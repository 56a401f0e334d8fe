// The engine's wasm kernels against the cpu backend on the real models: the gradient of the
// multi-task loss with respect to every trainable weight must agree (tiny models: width x0.25,
// 32 px). This runs each architecture's op mix (depthwise, squeeze-excite, hard-swish, dense
// concatenation, attention, layer norm, GELU, ...) through the kernels end to end.
//
// Two modes. With batch norm in inference mode (moving statistics) every backbone is compared
// tightly. In training mode batch norm divides by batch standard deviations, which in deep stacks
// with ε = 1e-5 amplifies float32 rounding: ResNet50 and DenseNet201 differ by up to ~3% between
// the backends even with the stock tfjs batch-norm kernels on both (measured), so training mode
// is checked on one backbone per family, where the backends agree to ~5e-5.
import { beforeAll, expect, it } from 'vitest';
import { initEngine, tf } from '@ovus/ml-engine';
import { TASK_NAMES, TASKS } from '@ovus/domain';
import { buildMultiTaskModel, listBackbones, multiTaskLoss } from '@ovus/ml-models';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

const SIZE = 32;
const TRAINING_MODE_BACKBONES = ['efficientnet-b0', 'mobilenet-v2', 'mobilenet-v3-small', 'vgg16', 'resnet18', 'densenet121', 'vit-b16'];

/**
 * Runs `build` with Math.random drawn from a seeded generator: tfjs seeds its weight initialisers
 * from Math.random when a layer gives no seed, so this fixes the models' initial weights.
 */
function withSeededMathRandom<T>(seed: number, build: () => T): T {
  const rng = xoroshiro128plus(seed);
  const original = Math.random;
  Math.random = () => uniformFloat64(rng);
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

/** Stochastic depth and dropout draw different masks on each backend; switch them off. */
function withoutDropout(layers: tf.layers.Layer[]): void {
  for (const layer of layers) {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { rate: number }).rate = 0;
    const inner = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (inner) withoutDropout(inner);
  }
}

interface Run {
  grads: Float32Array[];
  weights: tf.Tensor[];
}

async function gradientsOn(backend: 'wasm' | 'cpu', backbone: string, training: boolean, pairs: number, weights?: tf.Tensor[]): Promise<Run> {
  await tf.setBackend(backend);
  // Seeded initial weights keep this a deterministic check; unseeded it was flaky. The gradient
  // is discontinuous where a max-pool window or ReLU sits at a near-tie, and training-mode batch
  // norm over 4 pairs at 32 px is ill-conditioned, so on some draws float rounding differences
  // between the backends grow to percents (measured with other seeds: vgg16 4% in inference mode,
  // densenet121 1.2% and mobilenet-v2 0.3% in training mode, where other draws agree to 1e-5).
  const model = withSeededMathRandom(1, () =>
    buildMultiTaskModel({ backbone, backboneOptions: { widthMultiplier: 0.25 }, tasks: TASK_NAMES, inputSize: SIZE, dropout: 0 }),
  );
  withoutDropout(model.layers);
  // The same weights on both backends: the cpu run takes the wasm run's initial values.
  if (weights) model.setWeights(weights);
  const initial = weights ?? model.getWeights().map((w) => tf.keep(w.clone()));
  const grads = tf.tidy(() => {
    const bmus = tf.randomUniform([pairs, SIZE, SIZE, 3], 0, 1, 'float32', 5);
    const ceus = tf.randomUniform([pairs, SIZE, SIZE, 3], 0, 1, 'float32', 6);
    const labels = Object.fromEntries(
      TASK_NAMES.map((task, i) => [task, tf.tensor1d(Array.from({ length: pairs }, (_, k) => (i + k) % TASKS[task].codes.length), 'int32')]),
    );
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const result = tf.variableGrads(() => {
      const outputs = model.apply([bmus, ceus], { training }) as tf.Tensor[];
      const probabilities = Object.fromEntries(TASK_NAMES.map((task, i) => [task, outputs[i]]));
      return multiTaskLoss(probabilities, labels as never).total as tf.Scalar;
    }, variables);
    return variables.map((v) => Float32Array.from(result.grads[v.name].dataSync()));
  });
  model.dispose();
  return { grads, weights: initial };
}

async function compare(backbone: string, training: boolean, pairs: number): Promise<{ relative: number; scale: number }> {
  const wasm = await gradientsOn('wasm', backbone, training, pairs);
  const cpu = await gradientsOn('cpu', backbone, training, pairs, wasm.weights.map((w) => tf.tensor(w.dataSync(), w.shape)));
  let maxError = 0;
  let scale = 0;
  wasm.grads.forEach((g, i) =>
    g.forEach((value, k) => {
      maxError = Math.max(maxError, Math.abs(value - cpu.grads[i][k]));
      scale = Math.max(scale, Math.abs(cpu.grads[i][k]));
    }),
  );
  tf.dispose([...wasm.weights, ...cpu.weights]);
  console.log(
    `${backbone} (${training ? 'training' : 'inference'}-mode batch norm): ${wasm.grads.length} gradients, ` +
      `max abs err ${maxError.toExponential(2)} of max |grad| ${scale.toExponential(2)}`,
  );
  return { relative: maxError / scale, scale };
}

it.each(listBackbones().map((b) => b.name))('%s: wasm and cpu gradients agree (inference-mode batch norm)', async (backbone) => {
  const { relative, scale } = await compare(backbone, false, 1);
  expect(scale).toBeGreaterThan(0);
  expect(relative).toBeLessThan(1e-4);
});

it.each(TRAINING_MODE_BACKBONES)('%s: wasm and cpu gradients agree (training-mode batch norm)', async (backbone) => {
  const { relative, scale } = await compare(backbone, true, 4);
  expect(scale).toBeGreaterThan(0);
  expect(relative).toBeLessThan(1e-3);
});
