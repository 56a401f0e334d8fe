export { loadInputPair, InferenceInputError, MODALITIES, MODALITY_TITLES } from './input-pair';
export type { LoadedImage, LoadedPair, LoadPairOptions, Modality, PairPaths } from './input-pair';
export { loadPredictor, predictPairs, UnusableCheckpointError } from './predictor';
export type { ClassProbability, HeadPrediction, ModelSource, PairPrediction, PixelPair, Predictor } from './predictor';
export { readPredictionManifest, PredictionManifestError, type ManifestPair } from './prediction-manifest';
export * from './saliency';
