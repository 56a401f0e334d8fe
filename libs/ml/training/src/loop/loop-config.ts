// What one training run needs to know, independent of where its data and results live. The
// trainer's TrainConfig (apps/trainer) is a superset: it adds the dataset, split and backend.
import type { TaskName } from '@ovus/domain';
import type { AugmentationOptions } from '@ovus/data';
import type { MultiTaskModelConfig } from '@ovus/ml-models';

export type OptimizerName = 'adam' | 'sgd' | 'adamw';
export type ScheduleKind = 'constant' | 'cosine' | 'step';

export interface OptimizerSettings {
  name: OptimizerName;
  learningRate: number;
  /** adam/sgd: L2 added to the gradient; adamw: decoupled decay of the weights (Loshchilov & Hutter). */
  weightDecay: number;
  /** sgd only. */
  momentum: number;
}

export interface ScheduleSettings {
  kind: ScheduleKind;
  /** Epochs whose rate ramps linearly up to the base rate before the schedule starts. */
  warmupEpochs: number;
  /** cosine: the rate it decays towards. */
  minLearningRate: number;
  /** step: multiply by gamma every stepEpochs. */
  stepEpochs: number;
  gamma: number;
}

export interface LoopConfig {
  model: MultiTaskModelConfig;
  epochs: number;
  batchSize: number;
  /** Batches whose mean gradient makes one update. */
  gradientAccumulationSteps: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  /** Seeds weight initialisation, shuffling, augmentation and dropout. */
  seed: number;
  augmentation: { enabled: boolean } & AugmentationOptions;
  /** 'loss', 'mean.accuracy|f1' or '<task>.loss|accuracy|f1|auc' on the validation part; null: train every epoch. */
  earlyStopping: { metric: string; patience: number } | null;
  /** Epochs at the start during which only the heads learn. */
  freezeBackboneEpochs: number;
  /** A tfjs layers-model folder, or a folder of <backbone>/ folders; null for random initialisation. */
  pretrainedWeights: string | null;
  taskWeights: Readonly<Partial<Record<TaskName, number>>>;
  classWeights: 'none' | 'balanced' | Readonly<Partial<Record<TaskName, readonly number[]>>>;
  evaluation: { bootstrapResamples: number; confidenceLevel: number };
  /** Moving-average momentum for every batch-norm layer; null keeps each backbone's own (see batch-norm.ts). */
  batchNormMomentum: number | null;
}

/** The metric that picks the best epoch: the early-stopping metric, else the validation loss. */
export function selectionMetricOf(config: Pick<LoopConfig, 'earlyStopping'>): string {
  return config.earlyStopping?.metric ?? 'loss';
}
