// What a training loop tells whoever shows its progress. Three calls, so the loop does not care
// whether a bar, plain log lines, or nothing is listening.

export interface TrainingPlan {
  epochs: number;
  stepsPerEpoch: number;
  batchSize: number;
}

export interface StepProgress {
  /** 1-based. */
  epoch: number;
  /** 1-based within the epoch. */
  step: number;
  loss: number;
  /** Images (pairs) in this step's batch. */
  examples: number;
}

export interface EpochProgress {
  epoch: number;
  trainLoss: number;
  validationLoss?: number;
  /** Validation metrics worth a glance, e.g. { 'malignancy.f1': 0.61 }. */
  metrics?: Readonly<Record<string, number>>;
}

export interface TrainingEnd {
  status: 'finished' | 'failed' | 'stopped';
  /** Epochs completed (early stopping may end before the plan). */
  epochs: number;
  error?: string;
}

export interface TrainingProgress {
  onStart(plan: TrainingPlan): void;
  onStep(step: StepProgress): void;
  onEpoch(epoch: EpochProgress): void;
  onEnd(end: TrainingEnd): void;
}

export const SILENT_PROGRESS: TrainingProgress = {
  onStart: () => undefined,
  onStep: () => undefined,
  onEpoch: () => undefined,
  onEnd: () => undefined,
};
