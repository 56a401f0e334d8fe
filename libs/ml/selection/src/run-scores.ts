// What the analysis reads from stored runs: for each run, the heads it trained and each head's
// scores on the test part. The caller (the trainer) fills these from the tracking database; the
// analysis itself does no I/O.
import type { TaskName } from '@ovus/domain';

export interface TaskScore {
  /** Macro F1 on the test part and its bootstrap 95% interval. */
  readonly f1: number;
  readonly f1Lo: number | null;
  readonly f1Hi: number | null;
  readonly auc: number | null;
  readonly aucLo: number | null;
  readonly aucHi: number | null;
  /** counts[true][predicted] over the task's classes in code order; needed for the chance level. */
  readonly confusion: readonly (readonly number[])[] | null;
}

/** One case's malignancy prediction on the test part (for paired tests on the same cases). */
export interface CasePrediction {
  readonly caseId: string;
  readonly yTrue: number;
  readonly yPred: number;
  /** Probability of malignant. */
  readonly score: number;
}

export interface RunScores {
  readonly runId: string;
  readonly backbone: string;
  /**
   * Everything about the run's configuration except its tasks, seed and fold: runs with the same
   * setting and replicate differ only in which heads they trained, so they are ablation pairs.
   */
  readonly setting: string;
  /** Seed, fold and split seed: the repetition this run is one of. */
  readonly replicate: string;
  readonly tasks: readonly TaskName[];
  readonly results: Readonly<Partial<Record<TaskName, TaskScore>>>;
  /** Per-case malignancy predictions on the test part, when stored. */
  readonly malignancyPredictions?: readonly CasePrediction[];
}
