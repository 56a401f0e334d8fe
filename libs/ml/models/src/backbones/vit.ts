import { tf } from '@ovus/ml-engine';
import type { FamilyTraits, ResolvedBackboneOptions } from '../backbone-options';
import { BroadcastLayerNormalization } from '../layers/layer-normalization';
import { AddPositionEmbedding, ClassToken, MultiHeadSelfAttention } from '../layers/vit-layers';
import { call, type Sym } from './blocks';
import type { BackboneDefinition } from './definition';

// Vision Transformer (Dosovitskiy et al. 2021). Keras applications has none; layer and weight
// names follow the vit-keras package (embedding, class_token, Transformer/posembed_input,
// Transformer/encoderblock_N/..., Transformer/encoder_norm). Output: the token sequence after the
// final LayerNorm; pooling picks the class token ('token') or averages the patch tokens.

interface VitConfig {
  patchSize: number;
  hiddenSize: number;
  layers: number;
  heads: number;
  mlpSize: number;
}

const HEAD_SIZE = 64;

function layerNorm(x: Sym, name: string): Sym {
  return call(new BroadcastLayerNormalization({ epsilon: 1e-6, name }), x);
}

function encoderBlock(x: Sym, heads: number, mlpSize: number, name: string): Sym {
  let y = layerNorm(x, `${name}/LayerNorm_0`);
  y = call(new MultiHeadSelfAttention({ heads, name: `${name}/MultiHeadDotProductAttention_1` }), y);
  x = call(tf.layers.add({ name: `${name}/add_1` }), [x, y]);
  y = layerNorm(x, `${name}/LayerNorm_2`);
  y = call(tf.layers.dense({ units: mlpSize, activation: 'gelu', name: `${name}/MlpBlock_3/Dense_0` }), y);
  y = call(tf.layers.dense({ units: x.shape[2] as number, name: `${name}/MlpBlock_3/Dense_1` }), y);
  return call(tf.layers.add({ name: `${name}/add_2` }), [x, y]);
}

export function buildVit(image: Sym, config: VitConfig, options: ResolvedBackboneOptions): Sym {
  // Width scales in whole attention heads of 64 (x0.25 gives ViT-Ti's 192 wide, 3 heads).
  const heads = Math.max(1, Math.round(config.heads * options.widthMultiplier));
  const hidden = heads * HEAD_SIZE;
  const mlpSize = Math.round((config.mlpSize / config.hiddenSize) * hidden);
  const depth = Math.max(1, Math.round(config.layers * options.depthMultiplier));
  const grid = (image.shape[1] as number) / config.patchSize;

  let x = call(
    tf.layers.conv2d({
      filters: hidden,
      kernelSize: config.patchSize,
      strides: config.patchSize,
      padding: 'valid',
      name: 'embedding',
    }),
    image,
  );
  x = call(tf.layers.reshape({ targetShape: [grid * grid, hidden], name: 'reshape' }), x);
  x = call(new ClassToken({ name: 'class_token' }), x);
  x = call(new AddPositionEmbedding({ name: 'Transformer/posembed_input' }), x);
  for (let i = 0; i < depth; i++) x = encoderBlock(x, heads, mlpSize, `Transformer/encoderblock_${i}`);
  return layerNorm(x, 'Transformer/encoder_norm');
}

const VIT_TRAITS: FamilyTraits = {
  inputSize: { minimum: 32, step: 16, why: 'the image is cut into whole 16x16 patches' },
  normalization: 'tf',
  poolings: ['avg', 'max', 'token'],
};

export const VIT_BACKBONES: BackboneDefinition[] = [
  {
    name: 'vit-b16',
    family: 'vit',
    reference: {
      params: 85_798_656,
      counts: 'all',
      source: 'ViT-B/16 without head (timm vit_base_patch16_224 num_classes=0; 86,567,656 − head 769,000)',
    },
    traits: VIT_TRAITS,
    features: (image, options) =>
      buildVit(image, { patchSize: 16, hiddenSize: 768, layers: 12, heads: 12, mlpSize: 3072 }, options),
  },
];
