export * from './types';
export { ParamConflictError, TrackingInputError, UnknownRunError } from './errors';
export { MAX_KEY_LENGTH } from './validation';
export type { MetricHistoryOptions, PredictionFilter, SetRunStatusOptions, TrackingStore } from './store/tracking-store';
export { listPredictions } from './repositories/predictions';
export { downsampleStride } from './store/tracking-store';
export { InMemoryTrackingStore } from './store/memory-store';
export { PostgresTrackingStore } from './store/postgres-store';
export {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  RunHandle,
  TrackingClient,
  type LogArtifactOptions,
  type LoggedArtifact,
  type StartRunInput,
  type TrackingClientClosed,
  type TrackingClientOptions,
  type TrackingClientStats,
} from './client/tracking-client';
export {
  listJournals,
  replayOrphanJournals,
  type JournalFileSummary,
  type JournalRecoveryOptions,
  type JournalRecoveryReport,
} from './client/journal-recovery';
export { isTransientDatabaseError } from './client/transient';
export { ensureProject } from './repositories/projects';
export { createRun, getRun, listRuns, type ListRunsFilter } from './repositories/runs';
export { markStaleRuns, recordHeartbeat, setRunStatus, type MarkStaleRunsOptions } from './repositories/run-status';
export { deleteRun, pruneOrphanBlobs, type PruneOrphanBlobsResult } from './repositories/artifact-blobs';
export {
  findDatasetVersionByHash,
  getDatasetVersion,
  listCases,
  saveDatasetVersion,
  type DatasetVersionRecord,
} from './repositories/datasets';
export { getSplit, saveSplit } from './repositories/splits';
export { createSweep, getSweep, setSweepStatus, sweepConfigHash } from './repositories/sweeps';
export {
  summarizeSweep,
  type MeanWithCi,
  type SummarizeSweepOptions,
  type SweepGroupSummary,
} from './repositories/summarize-sweep';
export { openTrackingDatabase, type OpenTrackingDatabaseOptions, type TrackingDatabase } from './database';
export {
  DatasetNotFoundError,
  findDatasetVersion,
  listDatasets,
  type DatasetSummary,
  type DatasetVersionSummary,
} from './repositories/dataset-lookup';
export { recordRunEnvironment, type RunEnvironment } from './repositories/run-environment';
export { chooseModelPath, fetchSelectedModel, NoUsableModelError, type ModelChoice, type SelectedModel } from './repositories/selected-model';
export { trainingImageSize } from './repositories/training-image-size';
export * from './read/exports';
export {
  bindRepositories,
  type ArtifactRepository,
  type MetricRepository,
  type ResultRepository,
  type DatasetRepository,
  type PredictionRepository,
  type ProjectRepository,
  type RunRepository,
  type SplitRepository,
  type SweepRepository,
  type TrackingRepositories,
} from './bound-repositories';
export { claimRunForAttempt, type ClaimRunOptions, type ClaimRunResult } from './repositories/run-claim';
export { InvalidEnvironmentError } from '@ovus/db';
export { embeddedDatabaseStatus, stopEmbeddedDatabase, userDataDir, type EmbeddedStatus } from './embedded-admin';
export { journalDirFor } from './database';
export {
  findSweep,
  saveSelection,
  selectionHistory,
  sweepScoredRuns,
  type SaveSelectionInput,
  type ScoredRun,
  type SelectionFindingInput,
  type StoredSelection,
  type StoredTaskScore,
} from './repositories/selections';
