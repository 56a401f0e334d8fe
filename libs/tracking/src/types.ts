// What the tracking store records. Times are epoch milliseconds (what Date.now() gives and JSON
// keeps); the database stores them as timestamptz(3).

/** One point of a metric series. NaN and ±Infinity are kept as they are: a diverging loss is data. */
export interface MetricPoint {
  key: string;
  value: number;
  /** Non-negative integer (epoch, batch index...); (run, key, step) identifies a point. */
  step: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** The unit of writing params, metrics and tags: all or nothing. */
export interface LogBatch {
  /** Set once per run: logging the same key again with the same value is a no-op, another value is an error. */
  params?: readonly KeyValue[];
  /** Idempotent on (run, key, step): the first value written for a step stays. */
  metrics?: readonly MetricPoint[];
  /** Mutable labels: the last value written wins. */
  tags?: readonly KeyValue[];
  /** Per-case predictions of a finished run; idempotent on (run, split, task, case), the last value wins. */
  predictions?: readonly CasePredictionInput[];
}

/**
 * What one task head predicted for one case of a split: the input of paired tests (McNemar on the
 * predicted classes, DeLong on the probabilities), matched across runs by case id.
 */
export interface CasePredictionInput {
  split: DataSplit;
  task: string;
  /** The dataset's case id (as in the manifest). */
  caseId: string;
  /** The true class code; null when the case has no label for this task. */
  label: number | null;
  /** The predicted class code (the most probable class). */
  predicted: number;
  /** Class probabilities in the order of the task's class codes (TASKS[task].codes in @ovus/domain). */
  probabilities: readonly number[];
}

export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'killed' | 'stale';
export type TerminalRunStatus = 'finished' | 'failed' | 'killed';
export type DataSplit = 'train' | 'validation' | 'test';
export type Averaging = 'binary' | 'macro' | 'weighted';

/** A score with its 95% confidence interval (bounds null when not computed). */
export interface ScoreWithCi {
  value: number;
  lo: number | null;
  hi: number | null;
}

/** Final scores of one task head on one split. */
export interface TaskResultInput {
  task: string;
  split: DataSplit;
  averaging: Averaging;
  accuracy: ScoreWithCi;
  precision: ScoreWithCi;
  recall: ScoreWithCi;
  f1: ScoreWithCi;
  /** Null when the AUC is undefined (e.g. one class only in the split). */
  auc: ScoreWithCi | null;
  /** Number of cases scored. */
  support: number;
}

export interface ConfusionMatrixInput {
  task: string;
  split: DataSplit;
  /** Class codes in row/column order (echogenicity: 0, 1, 3, 4). */
  labels: readonly number[];
  /** counts[true][predicted], labels.length × labels.length non-negative integers. */
  counts: readonly (readonly number[])[];
}

export interface RocPointInput {
  fpr: number;
  tpr: number;
  threshold: number;
}

/** One one-vs-rest ROC curve; saving it again replaces the stored curve. */
export interface RocCurveInput {
  task: string;
  split: DataSplit;
  classCode: number;
  points: readonly RocPointInput[];
}

export interface ArtifactInfo {
  /** Name within the run, e.g. "checkpoints/best.weights.bin"; unique per run. */
  path: string;
  kind: string;
  sha256: string;
  bytes: number;
  /** db:<sha256> — the bytes are kept in artifact_blob. */
  uri: string;
  step: number | null;
  createdAt: number;
}

export interface ArtifactInput {
  path: string;
  kind: string;
  step: number | null;
  data: Uint8Array;
  /** sha256 of data, hex; computed once by the caller. */
  sha256: string;
}

export interface FetchedArtifact extends ArtifactInfo {
  data: Buffer;
}

/** The fields a run is created with (the Run model's, minus what the store fills in). */
export interface CreateRunInput {
  /** Given by the caller to make creation idempotent (e.g. a queued job's run id); else generated. */
  id?: string;
  projectId: string;
  sweepId?: string | null;
  groupKey?: string | null;
  name: string;
  status?: RunStatus;
  backbone: string;
  tasks: readonly string[];
  imageSize: number;
  seed: number;
  fold?: number | null;
  config: unknown;
  gitCommit?: string | null;
  datasetVersionId?: string | null;
  splitId?: string | null;
  tfjsBackend?: string | null;
  host?: string | null;
  hardware?: unknown;
  attempt?: number;
}

export interface RunRecord {
  id: string;
  projectId: string;
  sweepId: string | null;
  groupKey: string | null;
  name: string;
  status: RunStatus;
  backbone: string;
  tasks: string[];
  imageSize: number;
  seed: number;
  fold: number | null;
  config: unknown;
  gitCommit: string | null;
  datasetVersionId: string | null;
  splitId: string | null;
  tfjsBackend: string | null;
  host: string | null;
  hardware: unknown;
  attempt: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  heartbeatAt: number | null;
  durationMs: number | null;
  errorText: string | null;
}

export interface TaskResultRecord extends TaskResultInput {
  createdAt: number;
}
