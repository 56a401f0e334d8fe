// Backbone registry
export { createBackbone, listBackbones, isBackboneName, BACKBONE_NAMES } from './registry';
export type { BackboneName, BackboneInfo } from './registry';
export type { BackboneOptions, Pooling, InputSizeRule } from './backbone-options';
export type { BackboneFamily, ReferenceParams } from './backbones/definition';

// The multi-modal multi-task model
export {
  buildMultiTaskModel,
  resolveMultiTaskConfig,
  getBackbones,
  getModelTasks,
  setBackboneTrainable,
  isBackboneTrainable,
  FUSIONS,
} from './multitask-model';
export type { Fusion, MultiTaskModelConfig, MultiTaskBackboneOptions, ResolvedMultiTaskConfig } from './multitask-model';
export { readModelMetadata, type ModelBuildConfig } from './model-metadata';

// Loss and labels
export { multiTaskLoss, balancedClassWeights, MISSING_LABEL } from './loss';
export type { MultiTaskLoss, MultiTaskLossOptions, PerTask } from './loss';
export { encodeLabels, labelsForCases } from './labels';

// Weights and checkpoints
export { loadBackboneWeights, formatWeightLoadReport } from './io/pretrained-weights';
export type { WeightLoadReport, SkippedWeight, LoadBackboneWeightsOptions } from './io/pretrained-weights';
export { saveModel, loadModel, buildModel, type LoadedModel } from './io/save-load';
export { saveOptimizerState, loadOptimizerState, type LoadedOptimizerState } from './io/optimizer-state';
export { fileSystemIO, readModelArtifacts } from './io/file-system-io';
export { listModelWeights, trainableWeightPaths, type NamedModelWeight } from './io/model-weights';

// Custom layers (registered with tfjs serialization on import)
export { FreezableBatchNormalization } from './layers/freezable-batch-norm';
export { InputNormalization, type NormalizationMode } from './layers/input-normalization';
export { HardSigmoid, HardSwish } from './layers/hard-activations';
export { ClassToken, AddPositionEmbedding, MultiHeadSelfAttention, TokenPooling } from './layers/vit-layers';
export { ModalityStack, ModalityUnstack } from './layers/modality-stack';
export { BroadcastLayerNormalization } from './layers/layer-normalization';
