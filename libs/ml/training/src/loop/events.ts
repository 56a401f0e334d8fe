// What the loop tells its caller (the trainer wires these into progress display and tracking).
// The loop itself stores nothing but its checkpoint folders.
import type { TaskScores } from '@ovus/ml-metrics';
import type { PerTask } from '@ovus/ml-models';
import type { StepLosses } from '../train-step';
import type { CasePrediction, ValidationSummary } from './evaluation';
import type { TrainingState } from './checkpoint';

export interface TrainingPlan {
  epochs: number;
  /** First epoch this call trains (> 1 when resumed). */
  startEpoch: number;
  /** Batches per epoch (the last one may be smaller). */
  stepsPerEpoch: number;
  batchSize: number;
  trainCases: number;
  validationCases: number;
  testCases: number;
  resumed: boolean;
}

export interface StepEvent {
  /** 1-based. */
  epoch: number;
  /** 1-based within the epoch. */
  step: number;
  stepsPerEpoch: number;
  /** Batches trained since the run began (1-based): the step of per-batch metrics, the same on every attempt. */
  globalStep: number;
  examples: number;
  learningRate: number;
  losses: StepLosses;
}

export interface EpochEvent {
  epoch: number;
  globalStep: number;
  learningRate: number;
  /** Mean over the epoch's batches, weighted by batch size. */
  trainLoss: StepLosses;
  /** Null when the split has no validation part. */
  validation: ValidationSummary | null;
  selection: { metric: string; value: number | null; improved: boolean; bestEpoch: number | null; bestValue: number | null };
  backboneFrozen: boolean;
  durationMs: number;
  examplesPerSecond: number;
}

export interface BestModelEvent {
  epoch: number;
  /** Folder written by saveModel: the best model so far. */
  dir: string;
}

export interface CheckpointEvent {
  epoch: number;
  globalStep: number;
  /** The checkpoint folder (model, optimizer, training-state.json). */
  dir: string;
  state: TrainingState;
}

export interface TrainingCallbacks {
  onStart?(plan: TrainingPlan): void;
  onStep?(event: StepEvent): void;
  /** Called before onBestModel and onCheckpoint of the same epoch, so its metrics are logged first. */
  onEpoch?(event: EpochEvent): void;
  /** Awaited. Called when validation improved, before the epoch's checkpoint. */
  onBestModel?(event: BestModelEvent): Promise<void> | void;
  /** Awaited. The epoch's checkpoint is complete in event.dir. */
  onCheckpoint?(event: CheckpointEvent): Promise<void> | void;
  /** A line worth showing (resume point, pretrained weight report, early stop). */
  onLog?(message: string): void;
}

export interface TrainingOutcome {
  epochsCompleted: number;
  globalStep: number;
  stoppedEarly: boolean;
  /** The epoch whose weights were scored (best on validation; the last epoch without a validation part). */
  selectedEpoch: number;
  selection: { metric: string; value: number | null };
  /** Final scores of the selected model; test is scored once, here. */
  results: { validation: PerTask<TaskScores>; test: PerTask<TaskScores> };
  /** What the scored model predicted for every case of validation and test, per task. */
  predictions: { validation: PerTask<CasePrediction[]>; test: PerTask<CasePrediction[]> };
  timings: { trainingMs: number; evaluationMs: number };
}
