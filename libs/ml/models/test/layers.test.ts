import { tf } from '@ovus/ml-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { BroadcastLayerNormalization, FreezableBatchNormalization, HardSwish, InputNormalization } from '../src/index';
import { maxAbsDiff, useWasm } from './engine';

beforeAll(useWasm);

describe('InputNormalization', () => {
  const pixel = [0.2, 0.5, 0.8];
  const sixChannels = (): tf.Tensor4D => tf.tensor4d([...pixel, ...pixel], [1, 1, 1, 6]);

  it.each([
    ['tf', pixel.map((v) => v * 2 - 1)],
    ['torch', [(0.2 - 0.485) / 0.229, (0.5 - 0.456) / 0.224, (0.8 - 0.406) / 0.225]],
    // Caffe: BGR order, 0..255 minus the BGR ImageNet mean.
    ['caffe', [0.8 * 255 - 103.939, 0.5 * 255 - 116.779, 0.2 * 255 - 123.68]],
    ['none', pixel],
  ] as const)('%s mode maps each RGB group of a 6-channel image as its weights expect', (mode, expected) => {
    const layer = new InputNormalization({ mode });
    const out = tf.tidy(() => (layer.apply(sixChannels()) as tf.Tensor).dataSync());
    const want = [...expected, ...expected];
    want.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });
});

describe('HardSwish', () => {
  it('is x · relu6(x + 3) / 6 (Keras MobileNetV3), not tfjs’ hardSigmoid slope', () => {
    const out = tf.tidy(() => (new HardSwish({}).apply(tf.tensor1d([-4, -1, 0, 1, 4])) as tf.Tensor).dataSync());
    [0, -1 / 3, 0, 2 / 3, 4].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
  });
});

describe('FreezableBatchNormalization', () => {
  function trainedOnce(trainable: boolean): { out: tf.Tensor; inference: tf.Tensor; movingMean: number[] } {
    const layer = new FreezableBatchNormalization({ momentum: 0.5 });
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    layer.apply(x); // builds with moving mean 0, variance 1
    layer.trainable = trainable;
    const out = layer.apply(x, { training: true }) as tf.Tensor;
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    const movingMean = Array.from(layer.getWeights()[2].dataSync());
    x.dispose();
    return { out, inference, movingMean };
  }

  it('normalises with batch statistics and updates its moving mean while trainable', () => {
    const { out, inference, movingMean } = trainedOnce(true);
    expect(Array.from(out.dataSync()).map((v) => Math.round(v))).toEqual([-1, -1, 1, 1]);
    expect(movingMean).toEqual([1, 10]); // 0.5·0 + 0.5·batch mean
    tf.dispose([out, inference]);
  });

  it('runs in inference mode and keeps its statistics when frozen, even with training: true', () => {
    const { out, inference, movingMean } = trainedOnce(false);
    expect(maxAbsDiff(out, inference)).toBe(0);
    expect(movingMean).toEqual([0, 0]);
    tf.dispose([out, inference]);
  });
});

describe('BroadcastLayerNormalization', () => {
  it('computes what tfjs’ LayerNormalization computes, gradients included', () => {
    const x = tf.randomNormal([2, 5, 8], 0, 3, 'float32', 4);
    const ours = new BroadcastLayerNormalization({ epsilon: 1e-6 });
    const stock = tf.layers.layerNormalization({ epsilon: 1e-6 });
    ours.apply(x);
    stock.apply(x);
    const weights = [tf.randomNormal([8], 1, 0.5, 'float32', 5), tf.randomNormal([8], 0, 0.5, 'float32', 6)];
    ours.setWeights(weights);
    stock.setWeights(weights);
    const gradOf = (layer: tf.layers.Layer): tf.Tensor =>
      tf.grad((input: tf.Tensor) => tf.sum(tf.square(layer.apply(input) as tf.Tensor)))(x);
    const [a, b] = [ours.apply(x) as tf.Tensor, stock.apply(x) as tf.Tensor];
    const [ga, gb] = [gradOf(ours), gradOf(stock)];
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ga, gb)).toBeLessThan(1e-4);
    expect(ours.getWeights().map((w) => w.shape)).toEqual([[8], [8]]);
    tf.dispose([x, ...weights, a, b, ga, gb]);
  });
});
