// Minimal backbones for the training-step benchmark, written with tfjs-layers the way the model
// library builds them (Layers, batch norm in training mode, shared backbone for both images).
// They exist so the engine's kernels can be measured without depending on @ovus/ml-models; the
// bench switches to createBackbone/buildMultiTaskModel once that library exports them.
import { tf } from '@ovus/ml-engine';
import { TASK_NAMES, TASKS } from '@ovus/domain';

type SymbolicTensor = tf.SymbolicTensor;

class HardSwish extends tf.layers.Layer {
  static className = 'BenchHardSwish';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
  }
}

class HardSigmoid extends tf.layers.Layer {
  static className = 'BenchHardSigmoid';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
  }
}

function conv(x: SymbolicTensor, filters: number, kernelSize: number, strides = 1): SymbolicTensor {
  return tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x) as SymbolicTensor;
}

function bn(x: SymbolicTensor): SymbolicTensor {
  return tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 }).apply(x) as SymbolicTensor;
}

function act(x: SymbolicTensor, kind: 'relu' | 'hswish'): SymbolicTensor {
  const layer = kind === 'relu' ? tf.layers.reLU() : new HardSwish({});
  return layer.apply(x) as SymbolicTensor;
}

function resnet18(input: SymbolicTensor): SymbolicTensor {
  let x = act(bn(conv(input, 64, 7, 2)), 'relu');
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as SymbolicTensor;
  const widths = [64, 128, 256, 512];
  widths.forEach((width, stage) => {
    for (let block = 0; block < 2; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      let shortcut = x;
      if (stride !== 1 || (x.shape[3] ?? 0) !== width) shortcut = bn(conv(x, width, 1, stride));
      let y = act(bn(conv(x, width, 3, stride)), 'relu');
      y = bn(conv(y, width, 3));
      x = act(tf.layers.add().apply([y, shortcut]) as SymbolicTensor, 'relu');
    }
  });
  return x;
}

function divisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

function squeezeExcite(x: SymbolicTensor, channels: number): SymbolicTensor {
  const squeeze = divisible(channels / 4);
  let s = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  s = tf.layers.reshape({ targetShape: [1, 1, channels] }).apply(s) as SymbolicTensor;
  s = tf.layers.conv2d({ filters: squeeze, kernelSize: 1, activation: 'relu' }).apply(s) as SymbolicTensor;
  s = tf.layers.conv2d({ filters: channels, kernelSize: 1 }).apply(s) as SymbolicTensor;
  s = new HardSigmoid({}).apply(s) as SymbolicTensor;
  return tf.layers.multiply().apply([x, s]) as SymbolicTensor;
}

// torchvision's mobilenet_v3_small table: kernel, expansion, output, SE, activation, stride.
const MOBILENET_V3_SMALL: [number, number, number, boolean, 'relu' | 'hswish', number][] = [
  [3, 16, 16, true, 'relu', 2], [3, 72, 24, false, 'relu', 2], [3, 88, 24, false, 'relu', 1],
  [5, 96, 40, true, 'hswish', 2], [5, 240, 40, true, 'hswish', 1], [5, 240, 40, true, 'hswish', 1],
  [5, 120, 48, true, 'hswish', 1], [5, 144, 48, true, 'hswish', 1], [5, 288, 96, true, 'hswish', 2],
  [5, 576, 96, true, 'hswish', 1], [5, 576, 96, true, 'hswish', 1],
];

function mobilenetV3Small(input: SymbolicTensor, width: number): SymbolicTensor {
  let x = act(bn(conv(input, divisible(16 * width), 3, 2)), 'hswish');
  for (const [kernel, expansion, output, se, activation, stride] of MOBILENET_V3_SMALL) {
    const inChannels = x.shape[3] ?? 0;
    const expanded = divisible(expansion * width);
    const outChannels = divisible(output * width);
    let y = x;
    if (expanded !== inChannels) y = act(bn(conv(y, expanded, 1)), activation);
    y = tf.layers.depthwiseConv2d({ kernelSize: kernel, strides: stride, padding: 'same', useBias: false }).apply(y) as SymbolicTensor;
    y = act(bn(y), activation);
    if (se) y = squeezeExcite(y, expanded);
    y = bn(conv(y, outChannels, 1));
    x = stride === 1 && inChannels === outChannels ? (tf.layers.add().apply([x, y]) as SymbolicTensor) : y;
  }
  return act(bn(conv(x, divisible(576 * width), 1)), 'hswish');
}

function densenet121(input: SymbolicTensor): SymbolicTensor {
  let x = act(bn(conv(input, 64, 7, 2)), 'relu');
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as SymbolicTensor;
  const blocks = [6, 12, 24, 16];
  blocks.forEach((layers, index) => {
    for (let i = 0; i < layers; i++) {
      let y = conv(act(bn(x), 'relu'), 4 * 32, 1);
      y = conv(act(bn(y), 'relu'), 32, 3);
      x = tf.layers.concatenate({ axis: -1 }).apply([x, y]) as SymbolicTensor;
    }
    if (index < blocks.length - 1) {
      x = conv(act(bn(x), 'relu'), Math.floor((x.shape[3] ?? 0) / 2), 1);
      x = tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
    }
  });
  return act(bn(x), 'relu');
}

export type BenchBackbone = 'mobilenet-v3-small' | 'resnet18' | 'densenet121';

export interface BenchModelSpec {
  backbone: BenchBackbone;
  inputSize: number;
  /** MobileNetV3 width multiplier. */
  width?: number;
}

/** The paper's model: one backbone shared by the BMUS and CEUS image, features concatenated, 8 softmax heads. */
export function buildBenchModel(spec: BenchModelSpec): tf.LayersModel {
  const image = tf.input({ shape: [spec.inputSize, spec.inputSize, 3] });
  const features =
    spec.backbone === 'resnet18' ? resnet18(image)
      : spec.backbone === 'densenet121' ? densenet121(image)
        : mobilenetV3Small(image, spec.width ?? 1);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(features) as SymbolicTensor;
  const backbone = tf.model({ inputs: image, outputs: pooled, name: `${spec.backbone}_backbone` });
  const bmus = tf.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'bmus' });
  const ceus = tf.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'ceus' });
  const joined = tf.layers.concatenate().apply([
    backbone.apply(bmus) as SymbolicTensor,
    backbone.apply(ceus) as SymbolicTensor,
  ]) as SymbolicTensor;
  const heads = TASK_NAMES.map(
    (task) => tf.layers.dense({ units: TASKS[task].codes.length, activation: 'softmax', name: task }).apply(joined) as SymbolicTensor,
  );
  return tf.model({ inputs: [bmus, ceus], outputs: heads, name: `bench_${spec.backbone}` });
}

export const BENCH_HEAD_SIZES: readonly number[] = TASK_NAMES.map((task) => TASKS[task].codes.length);

/** Which model definitions the bench runs: these minimal ones, or @ovus/ml-models' once it exports them. */
export const modelSource = 'tools/bench inline definitions';
