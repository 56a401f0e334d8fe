import { tf } from '@ovus/ml-engine';
import type { ResolvedBackboneOptions } from '../backbone-options';
import { CNN_TRAITS, call, makeDivisible, scaleRepeats, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// VGG as in keras.applications.vgg16/vgg19 (layer names blockN_convM / blockN_pool).

interface VggConfig {
  /** Convolutions per block, five blocks. */
  convsPerBlock: readonly [number, number, number, number, number];
}

const BLOCK_FILTERS = [64, 128, 256, 512, 512];

export function buildVgg(image: Sym, config: VggConfig, options: ResolvedBackboneOptions): Sym {
  let x = image;
  config.convsPerBlock.forEach((convs, b) => {
    const filters = makeDivisible(BLOCK_FILTERS[b] * options.widthMultiplier);
    for (let c = 0; c < scaleRepeats(convs, options.depthMultiplier); c++) {
      x = call(
        tf.layers.conv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name: `block${b + 1}_conv${c + 1}`,
        }),
        x,
      );
    }
    x = call(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  return x;
}

const traits = { ...CNN_TRAITS, normalization: 'caffe' } as const;

export const VGG_BACKBONES: BackboneDefinition[] = [
  {
    name: 'vgg16',
    family: 'vgg',
    reference: { params: 14_714_688, counts: 'all', source: 'keras.applications.VGG16(include_top=False)' },
    traits,
    features: (image, options) => buildVgg(image, { convsPerBlock: [2, 2, 3, 3, 3] }, options),
  },
  {
    name: 'vgg19',
    family: 'vgg',
    reference: { params: 20_024_384, counts: 'all', source: 'keras.applications.VGG19(include_top=False)' },
    traits,
    features: (image, options) => buildVgg(image, { convsPerBlock: [2, 2, 4, 4, 4] }, options),
  },
];
