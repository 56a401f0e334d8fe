export * from './types';
export { createRng, deriveRng, shuffled, type Rng } from './random';
export { canonicalJson, sha256Hex } from './hash';
export { MANIFEST_COLUMNS, IMAGE_COLUMNS, type ManifestColumn } from './manifest/columns';
export type { DatasetIssue, IssueCode, IssueSeverity } from './validation/issues';
export {
  validateDataset,
  DEFAULT_VALIDATION_LIMITS,
  type ValidateDatasetOptions,
  type ValidationLimits,
  type ValidationResult,
} from './validation/validate-dataset';
export { formatIssues } from './validation/format-issues';
export { computeStatistics, formatStatistics } from './statistics';
export { readCountsFile, parseCountsTable, CountsFileError, COUNTS_COLUMNS, type CountsProblem } from './counts-file';
export { datasetContentHash } from './content-hash';
export { DEFAULT_MAX_PIXELS } from './images/decode';
export { ImageCache, defaultImageCache, DEFAULT_CACHE_BYTES } from './images/image-cache';
export { IMAGENET_MEAN, IMAGENET_STD, normalizeImage, type Normalization } from './images/normalize';
export {
  loadImage,
  loadCasePair,
  loadCasePairUnit,
  resolveCasePath,
  type ImagePair,
  type LoadImageOptions,
  type ResizeFit,
} from './images/load-image';
export { augmentPair, DEFAULT_AUGMENTATION, NO_AUGMENTATION, type AugmentationOptions } from './images/augment';
export { preprocessCasePair, type PreprocessOptions } from './images/preprocess';
export { inspectImage, type ImageInspection, type ImageLimits, type InspectedImage } from './validation/inspect-image';
export { makeHoldoutSplit, makeKFoldSplit, type HoldoutOptions, type KFoldOptions } from './splits/make-split';
export { describeSplit, casesOfPart, checkSplit, SPLIT_PARTS, type PartDescription } from './splits/describe-split';
export { synthesizePhantom, type PhantomCase, type PhantomOptions, type PhantomResult } from './phantom/synthesize';
export { phantomClassCounts, phantomLabelCounts } from './phantom/labels';
