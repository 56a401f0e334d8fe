import type { NormalizationMode } from './layers/input-normalization';

/** How the backbone's last feature map (or token sequence) becomes one feature vector. */
export type Pooling = 'avg' | 'max' | 'token';

export interface BackboneOptions {
  /** Side of the square input image in pixels. Default 224. */
  inputSize?: number;
  /** Image channels: 3 for one RGB image, 6 for early fusion of two. Default 3. */
  inputChannels?: number;
  /** Scales every layer's width (Keras' alpha); < 1 for small CPU variants. Default 1. */
  widthMultiplier?: number;
  /** Scales how many blocks each stage repeats (at least one is kept). Default 1. */
  depthMultiplier?: number;
  /** 'avg' (default), 'max', or 'token' (ViT's class token; ViT only). */
  pooling?: Pooling;
  /**
   * 'imagenet' (default) converts images in [0, 1] to what the family's reference ImageNet
   * weights expect (see InputNormalization); 'none' passes them through.
   */
  preprocessing?: 'imagenet' | 'none';
  /** The tfjs model's name. Default: the backbone's registry name. */
  modelName?: string;
}

export type ResolvedBackboneOptions = Required<BackboneOptions>;

export interface InputSizeRule {
  minimum: number;
  /** Valid sizes are minimum + k·step. */
  step: number;
  why: string;
}

export interface FamilyTraits {
  inputSize: InputSizeRule;
  normalization: NormalizationMode;
  poolings: readonly Pooling[];
}

export function resolveBackboneOptions(
  backbone: string,
  traits: FamilyTraits,
  options: BackboneOptions,
): ResolvedBackboneOptions {
  const resolved: ResolvedBackboneOptions = {
    inputSize: options.inputSize ?? 224,
    inputChannels: options.inputChannels ?? 3,
    widthMultiplier: options.widthMultiplier ?? 1,
    depthMultiplier: options.depthMultiplier ?? 1,
    pooling: options.pooling ?? 'avg',
    preprocessing: options.preprocessing ?? 'imagenet',
    modelName: options.modelName ?? backbone,
  };
  const { minimum, step, why } = traits.inputSize;
  const size = resolved.inputSize;
  if (!Number.isInteger(size) || size < minimum || (size - minimum) % step !== 0) {
    const below = Math.max(minimum, minimum + Math.floor((size - minimum) / step) * step);
    throw new RangeError(
      `Backbone '${backbone}' cannot take inputSize ${size}: it needs at least ${minimum} px in steps of ` +
        `${step} (${why}). Nearest valid sizes: ${below}, ${below + step}.`,
    );
  }
  if (!Number.isInteger(resolved.inputChannels) || resolved.inputChannels < 1) {
    throw new RangeError(`inputChannels must be a positive integer; got ${resolved.inputChannels}.`);
  }
  for (const key of ['widthMultiplier', 'depthMultiplier'] as const) {
    const value = resolved[key];
    if (!(value > 0 && value <= 4)) {
      throw new RangeError(`${key} must be in (0, 4]; got ${value} for backbone '${backbone}'.`);
    }
  }
  if (!traits.poolings.includes(resolved.pooling)) {
    throw new RangeError(
      `Backbone '${backbone}' does not support pooling '${resolved.pooling}'; use one of ${traits.poolings.join(', ')}.`,
    );
  }
  return resolved;
}
