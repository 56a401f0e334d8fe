import type { FamilyTraits, ResolvedBackboneOptions } from '../backbone-options';
import type { Sym } from './blocks';

export type BackboneFamily = 'efficientnet' | 'mobilenet-v2' | 'mobilenet-v3' | 'vgg' | 'resnet' | 'densenet' | 'vit';

export interface ReferenceParams {
  /** Parameter count at full width, 224×224×3, without the classifier top. */
  params: number;
  /** Keras' count_params() includes BatchNorm moving statistics ('all'); torchvision counts only parameters ('trainable'). */
  counts: 'all' | 'trainable';
  source: string;
}

/** One registry entry: a family builder with a variant's small config bound in. */
export interface BackboneDefinition {
  name: string;
  family: BackboneFamily;
  reference: ReferenceParams;
  traits: FamilyTraits;
  /** Builds the network from the (already normalised) image to its last feature map / tokens. */
  features(image: Sym, options: ResolvedBackboneOptions): Sym;
}
