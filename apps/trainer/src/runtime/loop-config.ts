// A run config (what users write) as the training loop's config (what it needs to train).
import type { TaskName } from '@ovus/domain';
import type { LoopConfig } from '@ovus/ml-training';
import type { BackendRequest } from '@ovus/ml-engine';
import type { TrainConfig } from '../config';

export function loopConfigOf(config: TrainConfig): LoopConfig {
  const { augmentation } = config;
  return {
    model: {
      backbone: config.backbone,
      backboneOptions: { ...config.backboneOptions },
      tasks: config.tasks,
      fusion: config.fusion,
      inputSize: config.imageSize,
      dropout: config.head.dropout,
      headHidden: config.head.hidden,
    },
    epochs: config.epochs,
    batchSize: config.batchSize,
    gradientAccumulationSteps: config.gradientAccumulationSteps,
    optimizer: { ...config.optimizer },
    schedule: { ...config.schedule },
    seed: config.seed,
    augmentation: { ...augmentation },
    earlyStopping: config.earlyStopping ? { ...config.earlyStopping } : null,
    freezeBackboneEpochs: config.freezeBackboneEpochs,
    pretrainedWeights: config.pretrainedWeights,
    // The config schema has already checked that these name trained tasks only.
    taskWeights: config.taskWeights as Partial<Record<TaskName, number>>,
    classWeights: config.classWeights as LoopConfig['classWeights'],
    evaluation: { ...config.evaluation },
    batchNormMomentum: config.batchNormMomentum,
  };
}

/** The worker's --backend wins over the run's own `backend` unless it is 'auto'. */
export function backendFor(config: TrainConfig, workerBackend: BackendRequest): BackendRequest {
  return workerBackend === 'auto' ? config.backend : workerBackend;
}

/** Run-config keys as flat params: `optimizer.learningRate` → '0.001'; lists and maps as JSON. */
export function flattenConfig(value: unknown, prefix = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { [prefix]: value };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { [prefix]: {} };
  return Object.assign({}, ...entries.map(([k, v]) => flattenConfig(v, prefix ? `${prefix}.${k}` : k)));
}
