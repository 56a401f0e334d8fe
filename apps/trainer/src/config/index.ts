export { BACKBONE_NAMES, imageSizeProblem, type BackboneName } from './backbones';
export { ConfigError, type LocatedProblem } from './config-error';
export { loadSweepConfig, loadTrainConfig, validateTrainConfig } from './load';
export { parseOverrides } from './overrides';
export { parseSource, readSourceFile, type SourceFile } from './source-file';
export { expandSweep, groupKeyOf, sweepFileSchema, type ExpandedSweep, type RunSpec } from './sweep-config';
export { trainConfigSchema, type TrainConfig, type TrainConfigInput } from './train-config';
