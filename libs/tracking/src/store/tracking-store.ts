// Where tracking data lives, behind one interface: PostgreSQL for real use, memory for unit tests.
// Both pass the same contract suite (test/store-contract.ts). Params, metrics and tags have one
// write primitive, logBatch; every write is idempotent, so the client may retry or replay freely.
import type {
  ArtifactInfo,
  ArtifactInput,
  CasePredictionInput,
  ConfusionMatrixInput,
  CreateRunInput,
  DataSplit,
  FetchedArtifact,
  LogBatch,
  MetricPoint,
  RocCurveInput,
  RocPointInput,
  RunRecord,
  RunStatus,
  TaskResultInput,
  TaskResultRecord,
} from '../types';
import { TrackingInputError } from '../errors';
import type { PruneOrphanBlobsResult } from '../repositories/artifact-blobs';

export interface SetRunStatusOptions {
  /** When it happened (epoch ms); default now. */
  at?: number;
  /** Why a run failed; stored as error_text. */
  error?: string | null;
}

export interface MetricHistoryOptions {
  /** Return at most this many points, evenly spread over the series, always keeping the last. */
  maxPoints?: number;
}

export interface PredictionFilter {
  split?: DataSplit;
  task?: string;
}

export interface TrackingStore {
  /**
   * Writes params, metrics and tags of one run, all or nothing. Throws TrackingInputError for bad
   * input, UnknownRunError for a run that does not exist, ParamConflictError when a param would
   * change; nothing is written then. Writing the same batch again changes nothing.
   */
  logBatch(runId: string, batch: LogBatch): Promise<void>;

  /** Creates the run; with a given id that already exists, returns the stored run unchanged. */
  createRun(input: CreateRunInput): Promise<{ run: RunRecord; created: boolean }>;
  getRun(runId: string): Promise<RunRecord | null>;
  /** Sets the status; running stamps started_at, a terminal status ended_at and duration_ms. */
  setRunStatus(runId: string, status: RunStatus, options?: SetRunStatusOptions): Promise<void>;
  /** Records that the run's process is alive at `at`; never moves the heartbeat back. */
  heartbeat(runId: string, at: number): Promise<void>;
  /** Marks running runs whose heartbeat is older than `olderThanMs` as stale; returns their ids. */
  markStaleRuns(olderThanMs: number, now?: number): Promise<string[]>;

  /** Upserts on (run, task, split, averaging). */
  saveTaskResult(runId: string, result: TaskResultInput): Promise<void>;
  /** Upserts on (run, task, split). */
  saveConfusionMatrix(runId: string, matrix: ConfusionMatrixInput): Promise<void>;
  /** Replaces the curve of (run, task, split, classCode). */
  saveRocCurve(runId: string, curve: RocCurveInput): Promise<void>;
  /**
   * Keeps the bytes content-addressed and upserts the artifact on (run, path). The bytes it
   * replaces are deleted unless another artifact (of any run) still refers to them.
   */
  saveArtifact(runId: string, artifact: ArtifactInput): Promise<ArtifactInfo>;
  /**
   * Deletes the run's artifacts at these paths (paths it does not have are skipped) and, in the
   * same transaction, their bytes unless another artifact still refers to them. Returns how many
   * artifacts were deleted.
   */
  deleteArtifacts(runId: string, paths: readonly string[]): Promise<number>;
  /** Deletes stored bytes that no artifact refers to any more (e.g. after runs were deleted). */
  pruneOrphanBlobs(): Promise<PruneOrphanBlobsResult>;
  fetchArtifact(runId: string, path: string): Promise<FetchedArtifact | null>;

  getParams(runId: string): Promise<Record<string, string>>;
  getTags(runId: string): Promise<Record<string, string>>;
  /** Points of one series in step order. */
  getMetricHistory(runId: string, key: string, options?: MetricHistoryOptions): Promise<MetricPoint[]>;
  /** The highest-step point of each series of the run. */
  getLatestMetrics(runId: string): Promise<MetricPoint[]>;
  getTaskResults(runId: string): Promise<TaskResultRecord[]>;
  getConfusionMatrices(runId: string): Promise<ConfusionMatrixInput[]>;
  getRocCurve(runId: string, task: string, split: DataSplit, classCode: number): Promise<RocPointInput[]>;
  listArtifacts(runId: string): Promise<ArtifactInfo[]>;
  /** Per-case predictions (logged through logBatch), by split, task and case id; [] when none were logged. */
  getPredictions(runId: string, filter?: PredictionFilter): Promise<CasePredictionInput[]>;

  /** Resolves when the store can be written to; rejects otherwise. */
  ping(): Promise<void>;
}

export const TERMINAL_STATUSES: readonly RunStatus[] = ['finished', 'failed', 'killed', 'stale'];

/**
 * Downsampling for charts: with n points and at most m kept, keep every stride-th point by step
 * order, stride = ceil((n - 1) / (m - 1)), and always the last one. That never exceeds m points
 * (if n - 1 is a multiple of the stride the last point is already one of them; if not, fewer
 * multiples fit). The SQL in postgres-store.ts uses the same rule.
 */
export function downsampleStride(length: number, maxPoints: number): number {
  if (length <= maxPoints) return 1;
  return Math.ceil((length - 1) / (maxPoints - 1));
}

export function checkMaxPoints(maxPoints: number | undefined): void {
  if (maxPoints !== undefined && (!Number.isInteger(maxPoints) || maxPoints < 2)) {
    throw new TrackingInputError(`maxPoints: ${maxPoints} must be an integer of at least 2`);
  }
}
