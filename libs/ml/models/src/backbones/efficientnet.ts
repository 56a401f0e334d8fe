import { tf } from '@ovus/ml-engine';
import type { ResolvedBackboneOptions } from '../backbone-options';
import { batchNorm } from '../layers/freezable-batch-norm';
import { CNN_TRAITS, call, correctPad, makeDivisible, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// EfficientNet as in keras.applications.efficientnet (names stem_conv, block2a_expand_conv,
// block2a_se_reduce, top_conv, ...). Keras' model also holds a Normalization layer with 7
// non-trainable statistics (mean, variance, count); here InputNormalization does that job without
// weights, so B0 counts 4,049,564 against Keras' 4,049,571.

interface StageArgs {
  kernel: 3 | 5;
  repeats: number;
  filtersIn: number;
  filtersOut: number;
  expandRatio: number;
  stride: 1 | 2;
}

interface EfficientNetConfig {
  widthCoefficient: number;
  depthCoefficient: number;
  stages: readonly StageArgs[];
}

const SE_RATIO = 0.25;
// Keras' CONV_KERNEL_INITIALIZER for EfficientNet (He-style, fan-out, truncated normal).
const convInit = (): ReturnType<typeof tf.initializers.varianceScaling> =>
  tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'truncatedNormal' });
const DROP_CONNECT_RATE = 0.2;

interface BlockArgs extends Omit<StageArgs, 'repeats'> {
  dropRate: number;
  name: string;
}

function swish(x: Sym, name: string): Sym {
  return call(tf.layers.activation({ activation: 'swish', name }), x);
}

function mbConvBlock(inputs: Sym, args: BlockArgs): Sym {
  const { name, filtersIn, filtersOut, expandRatio, kernel, stride } = args;
  const filters = filtersIn * expandRatio;
  let x = inputs;
  if (expandRatio !== 1) {
    x = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: `${name}expand_conv` }), x);
    x = swish(call(batchNorm({ name: `${name}expand_bn` }), x), `${name}expand_activation`);
  }
  if (stride === 2) x = call(tf.layers.zeroPadding2d({ padding: correctPad(x, kernel), name: `${name}dwconv_pad` }), x);
  x = call(
    tf.layers.depthwiseConv2d({
      kernelSize: kernel,
      strides: stride,
      padding: stride === 2 ? 'valid' : 'same',
      useBias: false,
      depthwiseInitializer: convInit(),
      name: `${name}dwconv`,
    }),
    x,
  );
  x = swish(call(batchNorm({ name: `${name}bn` }), x), `${name}activation`);

  const seFilters = Math.max(1, Math.floor(filtersIn * SE_RATIO));
  let se = call(tf.layers.globalAveragePooling2d({ name: `${name}se_squeeze` }), x);
  se = call(tf.layers.reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  se = call(tf.layers.conv2d({ filters: seFilters, kernelSize: 1, padding: 'same', activation: 'swish', kernelInitializer: convInit(), name: `${name}se_reduce` }), se);
  se = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', kernelInitializer: convInit(), name: `${name}se_expand` }), se);
  x = call(tf.layers.multiply({ name: `${name}se_excite` }), [x, se]);

  x = call(tf.layers.conv2d({ filters: filtersOut, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: `${name}project_conv` }), x);
  x = call(batchNorm({ name: `${name}project_bn` }), x);
  if (stride === 1 && filtersIn === filtersOut) {
    if (args.dropRate > 0) {
      // Stochastic depth: drop the whole residual branch per sample (noise shape [batch, 1, 1, 1]).
      x = call(tf.layers.dropout({ rate: args.dropRate, noiseShape: [null, 1, 1, 1] as unknown as number[], name: `${name}drop` }), x);
    }
    x = call(tf.layers.add({ name: `${name}add` }), [x, inputs]);
  }
  return x;
}

export function buildEfficientNet(image: Sym, config: EfficientNetConfig, options: ResolvedBackboneOptions): Sym {
  const width = config.widthCoefficient * options.widthMultiplier;
  const depth = config.depthCoefficient * options.depthMultiplier;
  const roundFilters = (filters: number): number => makeDivisible(filters * width, 8);
  const roundRepeats = (repeats: number): number => Math.max(1, Math.ceil(depth * repeats));

  let x = call(tf.layers.zeroPadding2d({ padding: correctPad(image, 3), name: 'stem_conv_pad' }), image);
  x = call(tf.layers.conv2d({ filters: roundFilters(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, kernelInitializer: convInit(), name: 'stem_conv' }), x);
  x = swish(call(batchNorm({ name: 'stem_bn' }), x), 'stem_activation');

  const totalBlocks = config.stages.reduce((sum, s) => sum + roundRepeats(s.repeats), 0);
  let blockIndex = 0;
  config.stages.forEach((stage, i) => {
    const filtersOut = roundFilters(stage.filtersOut);
    for (let j = 0; j < roundRepeats(stage.repeats); j++) {
      x = mbConvBlock(x, {
        kernel: stage.kernel,
        expandRatio: stage.expandRatio,
        filtersIn: j === 0 ? roundFilters(stage.filtersIn) : filtersOut,
        filtersOut,
        stride: j === 0 ? stage.stride : 1,
        dropRate: (DROP_CONNECT_RATE * blockIndex) / totalBlocks,
        name: `block${i + 1}${String.fromCharCode(97 + j)}_`,
      });
      blockIndex++;
    }
  });
  x = call(tf.layers.conv2d({ filters: roundFilters(1280), kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: 'top_conv' }), x);
  return swish(call(batchNorm({ name: 'top_bn' }), x), 'top_activation');
}

const B0_STAGES: StageArgs[] = [
  { kernel: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expandRatio: 1, stride: 1 },
  { kernel: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expandRatio: 6, stride: 2 },
  { kernel: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expandRatio: 6, stride: 2 },
  { kernel: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expandRatio: 6, stride: 2 },
  { kernel: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expandRatio: 6, stride: 1 },
  { kernel: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expandRatio: 6, stride: 2 },
  { kernel: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expandRatio: 6, stride: 1 },
];

export const EFFICIENTNET_BACKBONES: BackboneDefinition[] = [
  {
    name: 'efficientnet-b0',
    family: 'efficientnet',
    reference: { params: 4_049_571, counts: 'all', source: 'keras.applications.EfficientNetB0(include_top=False)' },
    traits: CNN_TRAITS,
    features: (image, options) =>
      buildEfficientNet(image, { widthCoefficient: 1, depthCoefficient: 1, stages: B0_STAGES }, options),
  },
];
