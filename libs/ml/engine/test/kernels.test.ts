import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../src';
import { prefersWeightsAsLeftOperand } from '../src/kernels/conv2d-forward';
import { compareWithCpu, ErrorReport, pick, randomInt, randomValues, RELATIVE_TOLERANCE, seeded, type RandomGenerator } from './compare-backends';

const report = new ErrorReport();

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

afterAll(() => report.print());

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

function tensor(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}

function randomPad(rng: RandomGenerator): Pad {
  const choice = pick(rng, ['same', 'valid', 'explicit'] as const);
  if (choice !== 'explicit') return choice;
  return [[0, 0], [randomInt(rng, 0, 2), randomInt(rng, 0, 2)], [randomInt(rng, 0, 2), randomInt(rng, 0, 2)], [0, 0]];
}

function outputShape(x: number[], filter: number[], strides: [number, number], pad: Pad, dilations: [number, number], depthwise: boolean) {
  const info = tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number], filter as [number, number, number, number], strides, dilations, pad, undefined, depthwise,
  );
  return info.outShape;
}

interface ConvCase {
  label: string;
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

/** Random conv geometries: odd and even sizes, strides 1-3, kernels 1-7, all padding kinds. */
function convCases(seed: number, count: number, options: { depthwise: boolean; dilations: boolean }): ConvCase[] {
  const rng = seeded(seed);
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const kh = pick(rng, [1, 2, 3, 5, 7]);
    const kw = pick(rng, [1, 3, kh]);
    const useDilation = options.dilations && randomInt(rng, 0, 2) === 0;
    const strides: [number, number] = useDilation ? [1, 1] : [randomInt(rng, 1, 3), randomInt(rng, 1, 3)];
    const dilations: [number, number] = useDilation ? [randomInt(rng, 1, 3), randomInt(rng, 1, 2)] : [1, 1];
    const x = [randomInt(rng, 1, 3), randomInt(rng, kh * dilations[0], 13), randomInt(rng, kw * dilations[1], 13), randomInt(rng, 1, 9)];
    const last = options.depthwise ? randomInt(rng, 1, 3) : randomInt(rng, 1, 9);
    const filter = [kh, kw, x[3], last];
    const pad = randomPad(rng);
    try {
      const out = outputShape(x, filter, strides, pad, dilations, options.depthwise);
      if (out.some((d) => d <= 0)) continue;
    } catch {
      continue; // e.g. explicit padding larger than tfjs accepts for this geometry
    }
    cases.push({ label: `x${x.join('x')} f${filter.join('x')} s${strides} d${dilations} ${JSON.stringify(pad)}`, x, filter, strides, dilations, pad });
  }
  return cases;
}

describe('Conv2DBackpropFilter', () => {
  it.each(convCases(11, 24, { depthwise: false, dilations: false }))('matches cpu for $label', async (c) => {
    const rng = seeded(c.x.reduce((a, b) => a * 31 + b, 7));
    const dyShape = outputShape(c.x, c.filter, c.strides, c.pad, c.dilations, false);
    const xValues = randomValues(rng, c.x.reduce((a, b) => a * b));
    const dyValues = randomValues(rng, dyShape.reduce((a, b) => a * b));
    const difference = await compareWithCpu(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tensor(xValues, c.x), dy: tensor(dyValues, dyShape) }, {
        strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter,
      }) as tf.Tensor,
    );
    report.record('Conv2DBackpropFilter', difference);
    expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('Conv2DBackpropInput', () => {
  const cases = convCases(12, 24, { depthwise: false, dilations: false });
  it.each(cases.flatMap((c) => (['phase-convolution', 'matmul-col2im', undefined] as const).map((plan) => ({ ...c, plan }))))(
    'matches cpu for $label, plan $plan',
    async (c) => {
      const rng = seeded(c.x.reduce((a, b) => a * 17 + b, 3));
      const dyShape = outputShape(c.x, c.filter, c.strides, c.pad, c.dilations, false);
      const filterValues = randomValues(rng, c.filter.reduce((a, b) => a * b));
      const dyValues = randomValues(rng, dyShape.reduce((a, b) => a * b));
      const difference = await compareWithCpu(() =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: tensor(dyValues, dyShape), filter: tensor(filterValues, c.filter) }, {
          strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x,
          // `plan` is this package's extension; the cpu kernel ignores it.
          ...(c.plan ? { plan: c.plan } : {}),
        }) as tf.Tensor,
      );
      report.record(`Conv2DBackpropInput (${c.plan ?? 'auto'})`, difference);
      expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
    },
  );
});

describe('DepthwiseConv2dNative gradients', () => {
  it.each(convCases(13, 24, { depthwise: true, dilations: true }))('match cpu for $label', async (c) => {
    const rng = seeded(c.x.reduce((a, b) => a * 13 + b, 5));
    const dyShape = outputShape(c.x, c.filter, c.strides, c.pad, c.dilations, true);
    const xValues = randomValues(rng, c.x.reduce((a, b) => a * b));
    const filterValues = randomValues(rng, c.filter.reduce((a, b) => a * b));
    const dyValues = randomValues(rng, dyShape.reduce((a, b) => a * b));
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations };
    // The cpu backend's depthwise gradient kernels ignore dilations (tfjs' gradient asserts
    // dilation 1), so with dilation the reference runs them on the equivalent undilated filter
    // with zeros between the taps.
    const [dh, dw] = c.dilations;
    const dilated = [(c.filter[0] - 1) * dh + 1, (c.filter[1] - 1) * dw + 1, c.filter[2], c.filter[3]];
    const dilateFilter = () =>
      tf.tidy(() => {
        const spread = tf.buffer(dilated, 'float32');
        const original = tensor(filterValues, c.filter).bufferSync();
        for (let i = 0; i < c.filter[0]; i++) for (let j = 0; j < c.filter[1]; j++)
          for (let k = 0; k < c.filter[2]; k++) for (let m = 0; m < c.filter[3]; m++) spread.set(original.get(i, j, k, m), i * dh, j * dw, k, m);
        return spread.toTensor();
      });
    const undilated = { strides: c.strides, pad: c.pad, dilations: [1, 1] };
    const filterDifference = await compareWithCpu(
      () =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tensor(xValues, c.x), dy: tensor(dyValues, dyShape) }, {
          ...attrs, filterShape: c.filter,
        }) as tf.Tensor,
      () =>
        tf.stridedSlice(
          tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tensor(xValues, c.x), dy: tensor(dyValues, dyShape) }, {
            ...undilated, filterShape: dilated,
          }) as tf.Tensor,
          [0, 0, 0, 0], dilated, [dh, dw, 1, 1],
        ),
    );
    const inputDifference = await compareWithCpu(
      () =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tensor(dyValues, dyShape), filter: tensor(filterValues, c.filter) }, {
          ...attrs, inputShape: c.x,
        }) as tf.Tensor,
      () =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tensor(dyValues, dyShape), filter: dilateFilter() }, {
          ...undilated, inputShape: c.x,
        }) as tf.Tensor,
    );
    report.record('DepthwiseConv2dNativeBackpropFilter', filterDifference);
    report.record('DepthwiseConv2dNativeBackpropInput', inputDifference);
    expect(filterDifference.relative).toBeLessThan(RELATIVE_TOLERANCE);
    expect(inputDifference.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('MaxPoolGrad', () => {
  const rng = seeded(21);
  const cases = Array.from({ length: 12 }, () => ({
    x: [randomInt(rng, 1, 2), randomInt(rng, 3, 12), randomInt(rng, 3, 12), randomInt(rng, 1, 6)],
    size: randomInt(rng, 1, 3),
    stride: randomInt(rng, 1, 3),
    pad: pick(rng, ['same', 'valid'] as const),
  })).filter((c) => c.x[1] >= c.size && c.x[2] >= c.size);
  it.each(cases)('matches cpu for x $x, pool $size stride $stride $pad (with ties from relu)', async (c) => {
    const rng = seeded(c.x[1] * 7 + c.size);
    const values = randomValues(rng, c.x.reduce((a, b) => a * b));
    const yShape = tf.backend_util.computePool2DInfo(c.x as [number, number, number, number], c.size, c.stride, 1, c.pad).outShape;
    const weights = randomValues(rng, yShape.reduce((a, b) => a * b));
    const difference = await compareWithCpu(() =>
      // relu makes many equal zeros: the gradient must go to the same tied position as on cpu
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(x) as tf.Tensor4D, c.size, c.stride, c.pad), tensor(weights, yShape))))(
        tensor(values, c.x),
      ),
    );
    report.record('MaxPoolGrad', difference);
    expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('reductions, Tile, Identity, UnsortedSegmentSum', () => {
  const values = randomValues(seeded(5), 2 * 5 * 6 * 7);
  const x = () => tensor(values, [2, 5, 6, 7]);
  const reductions: [string, () => tf.Tensor][] = [
    ['Sum over leading axes', () => tf.sum(x(), [0, 1, 2])],
    ['Sum over leading axes, keepDims', () => tf.sum(x(), [0, 1], true)],
    ['Sum over one leading axis (unsorted spec)', () => tf.sum(x(), [1, 0])],
    ['Sum over a middle axis (stock kernel)', () => tf.sum(x(), 2)],
    ['Sum over all axes (stock kernel)', () => tf.sum(x())],
    ['Mean over leading axes', () => tf.mean(x(), [0, 1, 2])],
    ['Mean over leading axes, keepDims', () => tf.mean(x(), [0, 1, 2], true)],
    ['Mean over the last axis (stock kernel)', () => tf.mean(x(), -1)],
  ];
  it.each(reductions)('%s matches cpu', async (label, compute) => {
    const difference = await compareWithCpu(compute);
    report.record(label.startsWith('Sum') ? 'Sum' : 'Mean', difference);
    expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });

  const tiles: [string, () => tf.Tensor][] = [
    ['per-channel vector to an activation', () => tf.tile(tf.reshape(tensor(values.slice(0, 7), [7]), [1, 1, 1, 7]), [2, 3, 4, 1])],
    ['every axis repeated', () => tf.tile(x(), [2, 1, 3, 2])],
    ['int32 input', () => tf.cast(tf.tile(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), [3, 2]), 'float32')],
    ['rank 1', () => tf.tile(tensor(values.slice(0, 5), [5]), [4])],
  ];
  it.each(tiles)('Tile (%s) matches cpu exactly', async (_label, compute) => {
    const difference = await compareWithCpu(compute);
    report.record('Tile', difference);
    expect(difference.maxAbsError).toBe(0);
  });

  it('Identity shares the buffer and survives disposing the source', async () => {
    await tf.setBackend('wasm');
    const source = x();
    const copy = tf.clone(source);
    source.dispose();
    expect(Array.from(copy.dataSync())).toEqual(Array.from(values));
    copy.dispose();
  });

  it('UnsortedSegmentSum (the gradient of gather) matches cpu, repeated and out-of-range ids included', async () => {
    const table = randomValues(seeded(8), 6 * 4);
    const difference = await compareWithCpu(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, [1, 4, 1, 5, 1]), tf.range(1, 21).reshape([5, 4]))))(tensor(table, [6, 4])),
    );
    const direct = await compareWithCpu(() =>
      tf.unsortedSegmentSum(tensor(table, [6, 4]), tf.tensor1d([0, 2, 2, -1, 7, 1], 'int32'), 3),
    );
    report.record('UnsortedSegmentSum', difference);
    report.record('UnsortedSegmentSum', direct);
    expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
    expect(direct.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('layout kernels: Slice, SplitV, Concat, PadV2, Cast', () => {
  const values = randomValues(seeded(31), 2 * 5 * 6 * 7);
  const x = () => tensor(values, [2, 5, 6, 7]);
  const ints = () => tf.tensor(Array.from({ length: 60 }, (_, i) => i * 3 - 7), [3, 4, 5], 'int32');
  const cases: [string, () => tf.Tensor | tf.Tensor[]][] = [
    ['Slice inside every axis', () => tf.slice(x(), [1, 1, 2, 3], [1, 3, 3, 2])],
    ['Slice of the last axis only', () => tf.slice(x(), [0, 0, 0, 2], [2, 5, 6, 4])],
    ['Slice of the first axis only', () => tf.slice(x(), [1, 0, 0, 0], [1, 5, 6, 7])],
    ['Slice of a 1-d tensor', () => tf.slice(tensor(values.slice(0, 9), [9]), [2], [5])],
    ['Slice int32', () => tf.cast(tf.slice(ints(), [1, 1, 0], [2, 2, 5]), 'float32')],
    ['SplitV along channels', () => tf.split(x(), [2, 4, 1], 3)],
    ['SplitV along height', () => tf.split(x(), [1, 4], 1)],
    ['Concat along channels', () => tf.concat([x(), tf.slice(x(), [0, 0, 0, 0], [2, 5, 6, 3])], 3)],
    ['Concat along batch', () => tf.concat([x(), x()], 0)],
    ['Concat along width, three inputs', () => tf.concat([x(), tf.slice(x(), [0, 0, 1, 0], [2, 5, 2, 7]), x()], 2)],
    ['Concat int32', () => tf.cast(tf.concat([ints(), ints()], 1), 'float32')],
    ['PadV2 spatial (ResNet zero padding)', () => tf.pad(x(), [[0, 0], [3, 3], [1, 2], [0, 0]])],
    ['PadV2 every axis with a constant', () => tf.pad(x(), [[1, 0], [0, 2], [2, 0], [1, 1]], 0.5)],
    ['Cast float32 to float32', () => tf.cast(x(), 'float32')],
    ['Cast float32 to int32 (stock kernel)', () => tf.cast(tf.cast(tf.mul(x(), 10), 'int32'), 'float32')],
  ];
  it.each(cases)('%s matches cpu exactly', async (_label, compute) => {
    const difference = await compareWithCpu(compute);
    report.record('Slice/SplitV/Concat/PadV2/Cast', difference);
    expect(difference.maxAbsError).toBe(0);
  });
});

describe('FusedBatchNorm forward and its gradient', () => {
  it.each([3, 8, 13])('match cpu with %i channels (SIMD lanes and the scalar remainder)', async (channels) => {
    const rng = seeded(channels);
    const shape = [2, 4, 3, channels];
    const values = randomValues(rng, shape.reduce((a, b) => a * b));
    const gamma = randomValues(rng, channels);
    const beta = randomValues(rng, channels);
    const weights = randomValues(rng, shape.reduce((a, b) => a * b));
    const forward = await compareWithCpu(() => {
      const xs = tensor(values, shape);
      const { mean, variance } = tf.moments(xs, [0, 1, 2]);
      return tf.batchNorm(xs, mean, variance, tensor(beta, [channels]), tensor(gamma, [channels]), 1e-3);
    });
    const backward = await compareWithCpu(() =>
      tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(xs, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(xs, mean, variance, b, g, 1e-3), tensor(weights, shape)));
      })([tensor(values, shape), tensor(gamma, [channels]), tensor(beta, [channels])]),
    );
    report.record('FusedBatchNorm', forward);
    report.record('FusedBatchNorm gradient (OvusBatchNormGradSums)', backward);
    expect(forward.relative).toBeLessThan(RELATIVE_TOLERANCE);
    expect(backward.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('Conv2D / FusedConv2D forward with the weights as the matmul operand', () => {
  const cases: { x: number[]; filter: number[]; strides: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 3, 3, 64], filter: [3, 3, 64, 96], strides: 1, pad: 'same' },
    { x: [3, 2, 2, 128], filter: [1, 1, 128, 256], strides: 1, pad: 'valid' },
    { x: [2, 5, 5, 32], filter: [3, 3, 32, 128], strides: 2, pad: 'same' },
    { x: [1, 4, 3, 48], filter: [2, 3, 48, 64], strides: 1, pad: 'valid' },
  ];
  it.each(cases)('matches cpu for x $x, filter $filter, stride $strides, $pad', async (c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.filter as [number, number, number, number], c.strides, 1, c.pad);
    expect(prefersWeightsAsLeftOperand(info)).toBe(true);
    const rng = seeded(c.filter[3]);
    const xValues = randomValues(rng, c.x.reduce((a, b) => a * b));
    const filterValues = randomValues(rng, c.filter.reduce((a, b) => a * b));
    const plain = await compareWithCpu(() => tf.conv2d(tensor(xValues, c.x) as tf.Tensor4D, tensor(filterValues, c.filter) as tf.Tensor4D, c.strides, c.pad));
    const fused = await compareWithCpu(() =>
      tf.fused.conv2d({ x: tensor(xValues, c.x) as tf.Tensor4D, filter: tensor(filterValues, c.filter) as tf.Tensor4D, strides: c.strides, pad: c.pad }),
    );
    report.record('Conv2D/FusedConv2D (weights-as-operand plan)', plain);
    report.record('Conv2D/FusedConv2D (weights-as-operand plan)', fused);
    expect(plain.relative).toBeLessThan(RELATIVE_TOLERANCE);
    expect(fused.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('BatchMatMul with transposed operands and batches', () => {
  const cases: { label: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { label: 'Dense weight gradient x^T·dy', a: [256, 96], b: [256, 80], transposeA: true, transposeB: false },
    { label: 'Dense input gradient dy·W^T', a: [256, 80], b: [96, 80], transposeA: false, transposeB: true },
    { label: 'both transposed', a: [96, 128], b: [64, 96], transposeA: true, transposeB: true },
    { label: 'attention scores q·k^T, batch 2x3', a: [2, 3, 65, 64], b: [2, 3, 65, 64], transposeA: false, transposeB: true },
    { label: 'attention values, batch 6', a: [6, 65, 65], b: [6, 65, 64], transposeA: false, transposeB: false },
    { label: 'batched left, shared right', a: [4, 50, 70], b: [70, 90], transposeA: false, transposeB: false },
    { label: 'shared left, batched right, transposed', a: [70, 50], b: [4, 90, 70], transposeA: true, transposeB: true },
    { label: 'small (stock kernel)', a: [3, 4, 5], b: [3, 6, 5], transposeA: false, transposeB: true },
  ];
  it.each(cases)('$label matches cpu', async (c) => {
    const rng = seeded(c.a.length * 100 + c.b[c.b.length - 1]);
    const aValues = randomValues(rng, c.a.reduce((x, y) => x * y));
    const bValues = randomValues(rng, c.b.reduce((x, y) => x * y));
    const difference = await compareWithCpu(() => tf.matMul(tensor(aValues, c.a), tensor(bValues, c.b), c.transposeA, c.transposeB));
    report.record('BatchMatMul (transposed / batched)', difference);
    expect(difference.relative).toBeLessThan(RELATIVE_TOLERANCE);
  });
});
