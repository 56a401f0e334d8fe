import { tf } from '@ovus/ml-engine';
import type { ResolvedBackboneOptions } from '../backbone-options';
import { batchNorm } from '../layers/freezable-batch-norm';
import { CNN_TRAITS, call, channelsOf, makeDivisible, scaleRepeats, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// DenseNet-BC as in keras.applications.densenet (names conv1/conv, conv2_block1_0_bn, pool2_conv, bn).

interface DenseNetConfig {
  /** Conv blocks in each of the four dense blocks. */
  blocks: readonly [number, number, number, number];
}

const GROWTH_RATE = 32;
const BN_EPSILON = 1.001e-5;

function bnRelu(x: Sym, bnName: string, reluName: string): Sym {
  const y = call(batchNorm({ name: bnName, epsilon: BN_EPSILON }), x);
  return call(tf.layers.activation({ activation: 'relu', name: reluName }), y);
}

function conv(x: Sym, filters: number, kernelSize: number, name: string, strides = 1): Sym {
  return call(
    tf.layers.conv2d({ filters, kernelSize, strides, padding: kernelSize === 3 ? 'same' : 'valid', useBias: false, name }),
    x,
  );
}

function convBlock(x: Sym, growthRate: number, name: string): Sym {
  let y = bnRelu(x, `${name}_0_bn`, `${name}_0_relu`);
  y = conv(y, 4 * growthRate, 1, `${name}_1_conv`);
  y = bnRelu(y, `${name}_1_bn`, `${name}_1_relu`);
  y = conv(y, growthRate, 3, `${name}_2_conv`);
  return call(tf.layers.concatenate({ axis: -1, name: `${name}_concat` }), [x, y]);
}

function transitionBlock(x: Sym, name: string): Sym {
  let y = bnRelu(x, `${name}_bn`, `${name}_relu`);
  y = conv(y, Math.floor(channelsOf(y) * 0.5), 1, `${name}_conv`);
  return call(tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }), y);
}

export function buildDenseNet(image: Sym, config: DenseNetConfig, options: ResolvedBackboneOptions): Sym {
  const growthRate = makeDivisible(GROWTH_RATE * options.widthMultiplier, 4);
  let x = call(tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'zero_padding2d' }), image);
  x = call(
    tf.layers.conv2d({
      filters: makeDivisible(64 * options.widthMultiplier),
      kernelSize: 7,
      strides: 2,
      useBias: false,
      name: 'conv1/conv',
    }),
    x,
  );
  x = bnRelu(x, 'conv1/bn', 'conv1/relu');
  x = call(tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'zero_padding2d_1' }), x);
  x = call(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1' }), x);
  config.blocks.forEach((blocks, i) => {
    for (let b = 0; b < scaleRepeats(blocks, options.depthMultiplier); b++) {
      x = convBlock(x, growthRate, `conv${i + 2}_block${b + 1}`);
    }
    if (i < config.blocks.length - 1) x = transitionBlock(x, `pool${i + 2}`);
  });
  return bnRelu(x, 'bn', 'relu');
}

const source = (n: number): string => `keras.applications.DenseNet${n}(include_top=False)`;

export const DENSENET_BACKBONES: BackboneDefinition[] = [
  {
    name: 'densenet121',
    family: 'densenet',
    reference: { params: 7_037_504, counts: 'all', source: source(121) },
    traits: CNN_TRAITS,
    features: (image, options) => buildDenseNet(image, { blocks: [6, 12, 24, 16] }, options),
  },
  {
    name: 'densenet169',
    family: 'densenet',
    reference: { params: 12_642_880, counts: 'all', source: source(169) },
    traits: CNN_TRAITS,
    features: (image, options) => buildDenseNet(image, { blocks: [6, 12, 32, 32] }, options),
  },
  {
    name: 'densenet201',
    family: 'densenet',
    reference: { params: 18_321_984, counts: 'all', source: source(201) },
    traits: CNN_TRAITS,
    features: (image, options) => buildDenseNet(image, { blocks: [6, 12, 48, 32] }, options),
  },
];
