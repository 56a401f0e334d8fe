import { tf } from '@ovus/ml-engine';
import type { ResolvedBackboneOptions } from '../backbone-options';
import { batchNorm } from '../layers/freezable-batch-norm';
import { HardSigmoid, HardSwish } from '../layers/hard-activations';
import { CNN_TRAITS, call, channelsOf, correctPad, makeDivisible, scaleRepeats, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// MobileNetV3 (non-minimalistic) as in keras.applications.mobilenet_v3, TF 2.x layer names
// (Conv, expanded_conv_N/expand, .../squeeze_excite/Conv, Conv_1). Keras' include_top=False ends
// at Conv_1 (the 1x1 conv to 6x the last block's channels); its Conv_2 (1024/1280 features) and
// logits belong to the top, and so are not built here.

type Activation = 'relu' | 'hswish';

interface Block {
  expansion: number;
  filters: number;
  kernel: 3 | 5;
  stride: 1 | 2;
  se: boolean;
  activation: Activation;
}

interface MobileNetV3Config {
  blocks: readonly Block[];
}

const bn = (name: string): tf.layers.Layer => batchNorm({ name, epsilon: 1e-3, momentum: 0.999 });

function activate(x: Sym, activation: Activation, name: string): Sym {
  const layer = activation === 'relu' ? tf.layers.reLU({ name }) : new HardSwish({ name });
  return call(layer, x);
}

function squeezeExcite(x: Sym, filters: number, prefix: string): Sym {
  const name = `${prefix}squeeze_excite`;
  let s = call(tf.layers.globalAveragePooling2d({ name: `${name}/AvgPool` }), x);
  s = call(tf.layers.reshape({ targetShape: [1, 1, filters], name: `${name}/Reshape` }), s);
  s = call(tf.layers.conv2d({ filters: makeDivisible(filters * 0.25), kernelSize: 1, padding: 'same', name: `${name}/Conv` }), s);
  s = call(tf.layers.reLU({ name: `${name}/Relu` }), s);
  s = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', name: `${name}/Conv_1` }), s);
  s = call(new HardSigmoid({ name: `${name}/HardSigmoid` }), s);
  return call(tf.layers.multiply({ name: `${name}/Mul` }), [x, s]);
}

function invertedResidual(x: Sym, block: Block, filters: number, blockId: number): Sym {
  const inChannels = channelsOf(x);
  const prefix = blockId === 0 ? 'expanded_conv/' : `expanded_conv_${blockId}/`;
  const expanded = makeDivisible(inChannels * block.expansion);
  let y = x;
  if (blockId > 0) {
    y = call(tf.layers.conv2d({ filters: expanded, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), y);
    y = activate(call(bn(`${prefix}expand/BatchNorm`), y), block.activation, `${prefix}expand/act`);
  }
  if (block.stride === 2) {
    y = call(tf.layers.zeroPadding2d({ padding: correctPad(y, block.kernel), name: `${prefix}depthwise/pad` }), y);
  }
  y = call(
    tf.layers.depthwiseConv2d({
      kernelSize: block.kernel,
      strides: block.stride,
      padding: block.stride === 1 ? 'same' : 'valid',
      useBias: false,
      name: `${prefix}depthwise`,
    }),
    y,
  );
  y = activate(call(bn(`${prefix}depthwise/BatchNorm`), y), block.activation, `${prefix}depthwise/act`);
  if (block.se) y = squeezeExcite(y, expanded, prefix);
  y = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), y);
  y = call(bn(`${prefix}project/BatchNorm`), y);
  if (block.stride === 1 && inChannels === filters) return call(tf.layers.add({ name: `${prefix}Add` }), [x, y]);
  return y;
}

/** Keeps, in every run of blocks with the same output width, the first ones the depth multiplier allows. */
function scaleStages(blocks: readonly Block[], depthMultiplier: number): Block[] {
  const kept: Block[] = [];
  let start = 0;
  while (start < blocks.length) {
    let end = start;
    while (end < blocks.length && blocks[end].filters === blocks[start].filters) end++;
    kept.push(...blocks.slice(start, start + scaleRepeats(end - start, depthMultiplier)));
    start = end;
  }
  return kept;
}

export function buildMobileNetV3(image: Sym, config: MobileNetV3Config, options: ResolvedBackboneOptions): Sym {
  const alpha = options.widthMultiplier;
  let x = call(
    tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv' }),
    image,
  );
  x = activate(call(bn('Conv/BatchNorm'), x), 'hswish', 'Conv/act');
  scaleStages(config.blocks, options.depthMultiplier).forEach((block, i) => {
    x = invertedResidual(x, block, makeDivisible(block.filters * alpha), i);
  });
  x = call(
    tf.layers.conv2d({ filters: makeDivisible(channelsOf(x) * 6), kernelSize: 1, padding: 'same', useBias: false, name: 'Conv_1' }),
    x,
  );
  return activate(call(bn('Conv_1/BatchNorm'), x), 'hswish', 'Conv_1/act');
}

const b = (
  expansion: number,
  filters: number,
  kernel: 3 | 5,
  stride: 1 | 2,
  se: boolean,
  activation: Activation,
): Block => ({ expansion, filters, kernel, stride, se, activation });

// The stacks of Keras' MobileNetV3Small/Large (expansion, filters, kernel, stride, SE, activation).
const SMALL: Block[] = [
  b(1, 16, 3, 2, true, 'relu'),
  b(72 / 16, 24, 3, 2, false, 'relu'),
  b(88 / 24, 24, 3, 1, false, 'relu'),
  b(4, 40, 5, 2, true, 'hswish'),
  b(6, 40, 5, 1, true, 'hswish'),
  b(6, 40, 5, 1, true, 'hswish'),
  b(3, 48, 5, 1, true, 'hswish'),
  b(3, 48, 5, 1, true, 'hswish'),
  b(6, 96, 5, 2, true, 'hswish'),
  b(6, 96, 5, 1, true, 'hswish'),
  b(6, 96, 5, 1, true, 'hswish'),
];

const LARGE: Block[] = [
  b(1, 16, 3, 1, false, 'relu'),
  b(4, 24, 3, 2, false, 'relu'),
  b(3, 24, 3, 1, false, 'relu'),
  b(3, 40, 5, 2, true, 'relu'),
  b(3, 40, 5, 1, true, 'relu'),
  b(3, 40, 5, 1, true, 'relu'),
  b(6, 80, 3, 2, false, 'hswish'),
  b(2.5, 80, 3, 1, false, 'hswish'),
  b(2.3, 80, 3, 1, false, 'hswish'),
  b(2.3, 80, 3, 1, false, 'hswish'),
  b(6, 112, 3, 1, true, 'hswish'),
  b(6, 112, 3, 1, true, 'hswish'),
  b(6, 160, 5, 2, true, 'hswish'),
  b(6, 160, 5, 1, true, 'hswish'),
  b(6, 160, 5, 1, true, 'hswish'),
];

const traits = { ...CNN_TRAITS, normalization: 'tf' } as const;

export const MOBILENET_V3_BACKBONES: BackboneDefinition[] = [
  {
    name: 'mobilenet-v3-small',
    family: 'mobilenet-v3',
    reference: {
      params: 939_120,
      counts: 'all',
      source: 'keras.applications.MobileNetV3Small(include_top=False): 2,554,968 with top − logits 1,025,000 − Conv_2 590,848',
    },
    traits,
    features: (image, options) => buildMobileNetV3(image, { blocks: SMALL }, options),
  },
  {
    name: 'mobilenet-v3-large',
    family: 'mobilenet-v3',
    reference: {
      params: 2_996_352,
      counts: 'all',
      source: 'keras.applications.MobileNetV3Large(include_top=False): 5,507,432 with top − logits 1,281,000 − Conv_2 1,230,080',
    },
    traits,
    features: (image, options) => buildMobileNetV3(image, { blocks: LARGE }, options),
  },
];
