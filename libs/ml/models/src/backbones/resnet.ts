import { tf } from '@ovus/ml-engine';
import type { ResolvedBackboneOptions } from '../backbone-options';
import { batchNorm } from '../layers/freezable-batch-norm';
import { CNN_TRAITS, call, channelsOf, makeDivisible, scaleRepeats, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// ResNet v1. Layer names follow keras.applications.resnet (conv1_conv, conv2_block1_1_conv, ...).
// ResNet50 is Keras' (bottleneck, convolutions with bias, stride in the first 1x1 conv); ResNet18/34
// have no Keras application and follow torchvision (basic block, no conv bias, padding 1 on both
// sides of the strided 3x3 conv) under the same naming scheme.

interface ResNetConfig {
  block: 'basic' | 'bottleneck';
  /** 'glorot' is Keras' default; 'he' is torchvision's kaiming_normal_(mode='fan_out'). */
  init: 'glorot' | 'he';
  /** Blocks per stage (conv2..conv5). */
  stages: readonly [number, number, number, number];
  useBias: boolean;
}

const STAGE_FILTERS = [64, 128, 256, 512];
const BN_EPSILON = 1.001e-5;

interface ConvArgs {
  useBias: boolean;
  init: ResNetConfig['init'];
}

interface BlockArgs extends ConvArgs {
  filters: number;
  stride: number;
  name: string;
}

function conv(x: Sym, filters: number, kernelSize: number, stride: number, { useBias, init }: ConvArgs, name: string): Sym {
  const kernelInitializer =
    init === 'he'
      ? tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal' })
      : tf.initializers.glorotUniform({});
  return call(
    tf.layers.conv2d({ filters, kernelSize, strides: stride, padding: 'valid', useBias, kernelInitializer, name }),
    x,
  );
}

function convBn(x: Sym, filters: number, kernelSize: number, stride: number, args: ConvArgs, name: string): Sym {
  let y = x;
  if (kernelSize > 1) {
    // Symmetric padding (torchvision's padding=k//2) rather than TF 'same', which pads a strided
    // conv unevenly; with stride 1 both are the same.
    const pad = Math.floor(kernelSize / 2);
    y = call(tf.layers.zeroPadding2d({ padding: [[pad, pad], [pad, pad]], name: `${name}_pad` }), y);
  }
  y = conv(y, filters, kernelSize, stride, args, `${name}_conv`);
  return call(batchNorm({ name: `${name}_bn`, epsilon: BN_EPSILON }), y);
}

function relu(x: Sym, name: string): Sym {
  return call(tf.layers.activation({ activation: 'relu', name }), x);
}

function shortcut(x: Sym, outChannels: number, stride: number, args: ConvArgs, name: string): Sym {
  if (stride === 1 && channelsOf(x) === outChannels) return x;
  return convBn(x, outChannels, 1, stride, args, `${name}_0`);
}

function basicBlock(x: Sym, { filters, stride, name, ...args }: BlockArgs): Sym {
  const skip = shortcut(x, filters, stride, args, name);
  let y = relu(convBn(x, filters, 3, stride, args, `${name}_1`), `${name}_1_relu`);
  y = convBn(y, filters, 3, 1, args, `${name}_2`);
  return relu(call(tf.layers.add({ name: `${name}_add` }), [skip, y]), `${name}_out`);
}

function bottleneckBlock(x: Sym, { filters, stride, name, ...args }: BlockArgs): Sym {
  const skip = shortcut(x, 4 * filters, stride, args, name);
  let y = relu(convBn(x, filters, 1, stride, args, `${name}_1`), `${name}_1_relu`);
  y = relu(convBn(y, filters, 3, 1, args, `${name}_2`), `${name}_2_relu`);
  y = convBn(y, 4 * filters, 1, 1, args, `${name}_3`);
  return relu(call(tf.layers.add({ name: `${name}_add` }), [skip, y]), `${name}_out`);
}

export function buildResNet(image: Sym, config: ResNetConfig, options: ResolvedBackboneOptions): Sym {
  const width = (f: number): number => makeDivisible(f * options.widthMultiplier);
  let x = call(tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }), image);
  const convArgs: ConvArgs = { useBias: config.useBias, init: config.init };
  x = conv(x, width(64), 7, 2, convArgs, 'conv1_conv');
  x = relu(call(batchNorm({ name: 'conv1_bn', epsilon: BN_EPSILON }), x), 'conv1_relu');
  x = call(tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }), x);
  x = call(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  const block = config.block === 'basic' ? basicBlock : bottleneckBlock;
  config.stages.forEach((blocks, s) => {
    for (let b = 0; b < scaleRepeats(blocks, options.depthMultiplier); b++) {
      x = block(x, {
        filters: width(STAGE_FILTERS[s]),
        stride: s > 0 && b === 0 ? 2 : 1,
        ...convArgs,
        name: `conv${s + 2}_block${b + 1}`,
      });
    }
  });
  return x;
}

export const RESNET_BACKBONES: BackboneDefinition[] = [
  {
    name: 'resnet18',
    family: 'resnet',
    reference: { params: 11_176_512, counts: 'trainable', source: 'torchvision.models.resnet18 without fc' },
    traits: CNN_TRAITS,
    features: (image, options) =>
      buildResNet(image, { block: 'basic', stages: [2, 2, 2, 2], useBias: false, init: 'he' }, options),
  },
  {
    name: 'resnet34',
    family: 'resnet',
    reference: { params: 21_284_672, counts: 'trainable', source: 'torchvision.models.resnet34 without fc' },
    traits: CNN_TRAITS,
    features: (image, options) =>
      buildResNet(image, { block: 'basic', stages: [3, 4, 6, 3], useBias: false, init: 'he' }, options),
  },
  {
    name: 'resnet50',
    family: 'resnet',
    reference: { params: 23_587_712, counts: 'all', source: 'keras.applications.ResNet50(include_top=False)' },
    traits: { ...CNN_TRAITS, normalization: 'caffe' },
    features: (image, options) =>
      buildResNet(image, { block: 'bottleneck', stages: [3, 4, 6, 3], useBias: true, init: 'glorot' }, options),
  },
];
