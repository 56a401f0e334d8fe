// THE preprocessing of a case, for training and inference alike, so the two can never drift
// apart: decode + resize (cached) → optional seeded augmentation → normalisation.
import type { CaseRecord } from '../types';
import { augmentPair, type AugmentationOptions } from './augment';
import { loadCasePairUnit, type ImagePair, type LoadImageOptions } from './load-image';
import { normalizeImage } from './normalize';
import type { Rng } from '../random';

export interface PreprocessOptions extends LoadImageOptions {
  /** Training and test-time augmentation pass an rng; plain inference passes nothing. */
  augmentation?: { rng: Rng; options?: Partial<AugmentationOptions> };
}

export async function preprocessCasePair(rootDir: string, record: CaseRecord, options: PreprocessOptions): Promise<ImagePair> {
  const unit = await loadCasePairUnit(rootDir, record, options);
  const pair = options.augmentation
    ? augmentPair(unit.bmus, unit.ceus, options.size, options.augmentation.rng, options.augmentation.options)
    : unit;
  const normalization = options.normalization ?? 'imagenet';
  return { bmus: normalizeImage(pair.bmus, normalization), ceus: normalizeImage(pair.ceus, normalization) };
}
