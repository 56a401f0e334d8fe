import { didYouMean } from '@ovus/domain';
import { tf } from '@ovus/ml-engine';
import { resolveBackboneOptions, type BackboneOptions, type InputSizeRule, type Pooling } from './backbone-options';
import { call, type Sym } from './backbones/blocks';
import type { BackboneDefinition, BackboneFamily, ReferenceParams } from './backbones/definition';
import { DENSENET_BACKBONES } from './backbones/densenet';
import { EFFICIENTNET_BACKBONES } from './backbones/efficientnet';
import { MOBILENET_V2_BACKBONES } from './backbones/mobilenet-v2';
import { MOBILENET_V3_BACKBONES } from './backbones/mobilenet-v3';
import { RESNET_BACKBONES } from './backbones/resnet';
import { VGG_BACKBONES } from './backbones/vgg';
import { VIT_BACKBONES } from './backbones/vit';
import { InputNormalization } from './layers/input-normalization';
import { TokenPooling } from './layers/vit-layers';
import { writeModelMetadata } from './model-metadata';

/** The paper's 13 backbones, in the order of its Table 2. */
export const BACKBONE_NAMES = [
  'efficientnet-b0',
  'mobilenet-v2',
  'mobilenet-v3-small',
  'mobilenet-v3-large',
  'vgg16',
  'vgg19',
  'resnet18',
  'resnet34',
  'resnet50',
  'densenet121',
  'densenet169',
  'densenet201',
  'vit-b16',
] as const;

export type BackboneName = (typeof BACKBONE_NAMES)[number];

const DEFINITIONS = new Map<string, BackboneDefinition>(
  [
    ...EFFICIENTNET_BACKBONES,
    ...MOBILENET_V2_BACKBONES,
    ...MOBILENET_V3_BACKBONES,
    ...VGG_BACKBONES,
    ...RESNET_BACKBONES,
    ...DENSENET_BACKBONES,
    ...VIT_BACKBONES,
  ].map((d) => [d.name, d]),
);

export interface BackboneInfo {
  name: BackboneName;
  family: BackboneFamily;
  reference: ReferenceParams;
  inputSize: InputSizeRule;
  poolings: readonly Pooling[];
}

export function isBackboneName(value: string): value is BackboneName {
  return (BACKBONE_NAMES as readonly string[]).includes(value);
}

function definitionOf(name: string): BackboneDefinition {
  const definition = DEFINITIONS.get(name);
  if (!definition) {
    throw new RangeError(`Unknown backbone '${name}'${didYouMean(name, BACKBONE_NAMES)}. Known backbones: ${BACKBONE_NAMES.join(', ')}.`);
  }
  return definition;
}

export function listBackbones(): BackboneInfo[] {
  return BACKBONE_NAMES.map((name) => {
    const d = definitionOf(name);
    return { name, family: d.family, reference: d.reference, inputSize: d.traits.inputSize, poolings: d.traits.poolings };
  });
}

function pool(features: Sym, pooling: Pooling): Sym {
  if (features.shape.length === 4) {
    const layer =
      pooling === 'max'
        ? tf.layers.globalMaxPooling2d({ name: 'max_pool' })
        : tf.layers.globalAveragePooling2d({ name: 'avg_pool' });
    return call(layer, features);
  }
  // Token sequences [1 + patches, width] whose first token is the class token.
  return call(new TokenPooling({ mode: pooling, name: `${pooling}_pool` }), features);
}

/**
 * Builds a backbone by registry name: image [inputSize, inputSize, channels] in [0, 1] → pooled
 * feature vector. Throws for unknown names and for input sizes or options the family cannot take.
 */
export function createBackbone(name: string, options: BackboneOptions = {}): tf.LayersModel {
  const definition = definitionOf(name);
  const resolved = resolveBackboneOptions(name, definition.traits, options);
  const image = tf.input({
    shape: [resolved.inputSize, resolved.inputSize, resolved.inputChannels],
    name: 'image',
  });
  const normalized =
    resolved.preprocessing === 'imagenet'
      ? call(new InputNormalization({ mode: definition.traits.normalization, name: 'input_normalization' }), image)
      : image;
  const features = pool(definition.features(normalized, resolved), resolved.pooling);
  const model = tf.model({ inputs: image, outputs: features, name: resolved.modelName });
  writeModelMetadata(model, { kind: 'backbone', backbone: name, options: resolved });
  return model;
}
