import { tf } from '@ovus/ml-engine';
import type { ResolvedBackboneOptions } from '../backbone-options';
import { batchNorm } from '../layers/freezable-batch-norm';
import { CNN_TRAITS, call, channelsOf, correctPad, makeDivisible, scaleRepeats, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// MobileNetV2 as in keras.applications.mobilenet_v2 (names Conv1, block_N_expand, Conv_1, ...).

interface Stage {
  filters: number;
  stride: number;
  expansion: number;
  repeats: number;
}

interface MobileNetV2Config {
  stages: readonly Stage[];
}

const bn = (name: string): tf.layers.Layer => batchNorm({ name, epsilon: 1e-3, momentum: 0.999 });
const relu6 = (name: string): tf.layers.Layer => tf.layers.reLU({ maxValue: 6, name });

function invertedResidual(x: Sym, expansion: number, stride: number, filters: number, blockId: number): Sym {
  const inChannels = channelsOf(x);
  let prefix = `block_${blockId}_`;
  let y = x;
  if (blockId > 0) {
    y = call(
      tf.layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }),
      y,
    );
    y = call(relu6(`${prefix}expand_relu`), call(bn(`${prefix}expand_BN`), y));
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) y = call(tf.layers.zeroPadding2d({ padding: correctPad(y, 3), name: `${prefix}pad` }), y);
  y = call(
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      strides: stride,
      useBias: false,
      padding: stride === 1 ? 'same' : 'valid',
      name: `${prefix}depthwise`,
    }),
    y,
  );
  y = call(relu6(`${prefix}depthwise_relu`), call(bn(`${prefix}depthwise_BN`), y));
  y = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), y);
  y = call(bn(`${prefix}project_BN`), y);
  if (inChannels === filters && stride === 1) return call(tf.layers.add({ name: `${prefix}add` }), [x, y]);
  return y;
}

export function buildMobileNetV2(image: Sym, config: MobileNetV2Config, options: ResolvedBackboneOptions): Sym {
  const alpha = options.widthMultiplier;
  let x = call(
    tf.layers.conv2d({
      filters: makeDivisible(32 * alpha, 8),
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      name: 'Conv1',
    }),
    image,
  );
  x = call(relu6('Conv1_relu'), call(bn('bn_Conv1'), x));
  let blockId = 0;
  for (const stage of config.stages) {
    const filters = makeDivisible(Math.floor(stage.filters * alpha), 8);
    for (let r = 0; r < scaleRepeats(stage.repeats, options.depthMultiplier); r++) {
      x = invertedResidual(x, stage.expansion, r === 0 ? stage.stride : 1, filters, blockId++);
    }
  }
  // Keras keeps 1280 features for alpha <= 1 and widens only above.
  const lastFilters = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = call(tf.layers.conv2d({ filters: lastFilters, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  return call(relu6('out_relu'), call(bn('Conv_1_bn'), x));
}

export const MOBILENET_V2_BACKBONES: BackboneDefinition[] = [
  {
    name: 'mobilenet-v2',
    family: 'mobilenet-v2',
    reference: { params: 2_257_984, counts: 'all', source: 'keras.applications.MobileNetV2(include_top=False)' },
    traits: { ...CNN_TRAITS, normalization: 'tf' },
    features: (image, options) =>
      buildMobileNetV2(
        image,
        {
          stages: [
            { filters: 16, stride: 1, expansion: 1, repeats: 1 },
            { filters: 24, stride: 2, expansion: 6, repeats: 2 },
            { filters: 32, stride: 2, expansion: 6, repeats: 3 },
            { filters: 64, stride: 2, expansion: 6, repeats: 4 },
            { filters: 96, stride: 1, expansion: 6, repeats: 3 },
            { filters: 160, stride: 2, expansion: 6, repeats: 3 },
            { filters: 320, stride: 1, expansion: 6, repeats: 1 },
          ],
        },
        options,
      ),
  },
];
