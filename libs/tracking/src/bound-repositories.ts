// The repositories bound to one opened database: what the trainer and the API read and write
// through. Applications get this object from openTrackingDatabase and never see the pool or the
// Prisma client behind it (they are not part of TrackingDatabase), so an app cannot pick between
// raw SQL and Prisma, and every query lives here, in one library, tested against PostgreSQL.
import type { DbConnection } from '@ovus/db';
import type { SplitAssignment, ValidatedDataset } from '@ovus/data';
import type { Project, Sweep, SweepStatus } from '@ovus/db';
import { deleteRun, pruneOrphanBlobs, type PruneOrphanBlobsResult } from './repositories/artifact-blobs';
import { findDatasetVersion, listDatasets, type DatasetSummary } from './repositories/dataset-lookup';
import { findDatasetVersionByHash, getDatasetVersion, listCases, saveDatasetVersion, type DatasetVersionRecord } from './repositories/datasets';
import { ensureProject } from './repositories/projects';
import { claimRunForAttempt, type ClaimRunOptions, type ClaimRunResult } from './repositories/run-claim';
import { recordRunEnvironment, type RunEnvironment } from './repositories/run-environment';
import { markStaleRuns, setRunStatus, type MarkStaleRunsOptions } from './repositories/run-status';
import { getRun, listRuns, type ListRunsFilter } from './repositories/runs';
import { getSplit, saveSplit } from './repositories/splits';
import { summarizeSweep, type SummarizeSweepOptions, type SweepGroupSummary } from './repositories/summarize-sweep';
import { createSweep, getSweep, setSweepStatus } from './repositories/sweeps';
import {
  findSweep,
  recentSweeps,
  saveSelection,
  selectionHistory,
  sweepScoredRuns,
  type SaveSelectionInput,
  type ScoredRun,
  type StoredSelection,
} from './repositories/selections';
import type { CaseRecord } from '@ovus/data';
import { listPredictions } from './repositories/predictions';
import type { PredictionFilter, SetRunStatusOptions } from './store/tracking-store';
import type {
  ArtifactInfo,
  CasePredictionInput,
  ConfusionMatrixInput,
  CreateRunInput,
  DataSplit,
  FetchedArtifact,
  MetricPoint,
  RunRecord,
  RunStatus,
  TaskResultRecord,
} from './types';
import { splitComposition, type SplitComposition } from './read/datasets';
import { chartSeries, listSeries, type ChartSeries, type SeriesInfo } from './read/metric-series';
import {
  getProject,
  getSweepDetail,
  listProjects,
  listSweeps,
  type Page,
  type ProjectSummary,
  type SweepDetail,
  type SweepStatusName,
  type SweepSummary,
} from './read/projects-sweeps';
import { artifactPathsOf, briefsOf, latestMetricsOf, listRocCurves, paramsOf, predictionsOf, tagsOf, taskResultsOf, type RunBrief, type RocCurveRecord } from './read/run-results';
import { queryRuns, type RunPage, type RunQuery } from './read/runs-query';
import { getSelection, listSelections, selectionTimeline, type SelectionDetail, type SelectionScorePoint, type SelectionSummary } from './read/selections';
import { runFacets, type RunFacets } from './read/run-facets';
import { PostgresTrackingStore } from './store/postgres-store';

export interface ProjectRepository {
  /** The project with this name, created if missing (safe under concurrent callers). */
  ensure(name: string, description?: string): Promise<Project>;
  /** By name, with sweep and run counts. */
  list(options?: { limit?: number; cursor?: string | null }): Promise<Page<ProjectSummary>>;
  get(projectId: string): Promise<ProjectSummary | null>;
}

export interface DatasetRepository {
  /** Stores a validated dataset as a version; the same content twice is one version. */
  save(dataset: ValidatedDataset): Promise<{ id: string; created: boolean }>;
  get(versionId: string): Promise<DatasetVersionRecord | null>;
  findByHash(contentHash: string): Promise<DatasetVersionRecord | null>;
  /** `version`: 'latest' or 8–64 hex digits of the content hash; throws DatasetNotFoundError. */
  find(name: string, version?: string): Promise<DatasetVersionRecord>;
  list(): Promise<DatasetSummary[]>;
  /** The version's cases, ordered by case id. */
  cases(versionId: string): Promise<CaseRecord[]>;
  /** Cases, patients, benign and malignant per part of a saved split. */
  splitComposition(splitId: string): Promise<SplitComposition | null>;
}

export interface SplitRepository {
  save(datasetVersionId: string, split: SplitAssignment): Promise<{ id: string; created: boolean }>;
  get(splitId: string): Promise<(SplitAssignment & { id: string; datasetVersionId: string }) | null>;
}

export interface SweepRepository {
  /** Idempotent by the sha256 of the canonical config. */
  create(projectId: string, name: string, config: unknown): Promise<{ sweep: Sweep; created: boolean }>;
  get(sweepId: string): Promise<Sweep | null>;
  setStatus(sweepId: string, status: SweepStatus): Promise<Sweep>;
  /** Per group of runs differing only in seed/fold: n and mean ± t-interval of each score. */
  summarize(sweepId: string, options: SummarizeSweepOptions): Promise<SweepGroupSummary[]>;
  /** By id, or the newest sweep with this name (optionally within a project). */
  find(idOrName: string, projectName?: string): ReturnType<typeof findSweep>;
  recent(limit?: number): ReturnType<typeof recentSweeps>;
  /** Newest first, with live progress. */
  list(options?: { projectId?: string; statuses?: readonly SweepStatusName[]; limit?: number; cursor?: string | null }): Promise<Page<SweepSummary>>;
  /** With its config and live progress. */
  detail(sweepId: string): Promise<SweepDetail | null>;
}

export interface RunRepository {
  /** Idempotent when the caller gives the id. */
  create(input: CreateRunInput): Promise<{ run: RunRecord; created: boolean }>;
  get(runId: string): Promise<RunRecord | null>;
  /** Whole records, newest first (the trainer's lists). */
  list(filter?: ListRunsFilter): Promise<RunRecord[]>;
  /** The runs table: filters, sort by any column or latest metric, keyset cursor, total. */
  page(query?: RunQuery): Promise<RunPage>;
  /** The runs table's filter menus: distinct values of each filterable field with run counts. */
  facets(options?: { projectId?: string }): Promise<RunFacets>;
  params(runIds: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** Name, status, seed, fold, group and config of several runs at once. */
  briefs(runIds: readonly string[]): Promise<RunBrief[]>;
  tags(runId: string): Promise<Record<string, string>>;
  /** Tags of several runs at once (one query; a run without tags: {}). */
  tagsOf(runIds: readonly string[]): Promise<Map<string, Record<string, string>>>;
  setStatus(runId: string, status: RunStatus, options?: SetRunStatusOptions): Promise<void>;
  /** Where and with what an attempt runs (filled in by the worker at each attempt). */
  recordEnvironment(runId: string, environment: RunEnvironment): Promise<void>;
  /** Marks running runs silent for `olderThanMs` stale; returns their ids. */
  markStale(olderThanMs: number, now?: number, options?: MarkStaleRunsOptions): Promise<string[]>;
  /** Deletes the run, everything it logged, and the bytes only it referred to. */
  delete(runId: string): Promise<PruneOrphanBlobsResult>;
  /** Claims the run for an attempt in this process; refused while another live process holds it (run-claim.ts). */
  claimForAttempt(runId: string, options: ClaimRunOptions): Promise<ClaimRunResult>;
}

export interface SelectionRepository {
  /** Finished runs of the sweeps with each head's test-part scores and confusion matrix. */
  scoredRuns(sweepIds: readonly string[]): Promise<ScoredRun[]>;
  /** Idempotent by content hash: the same analysis twice is one row. */
  save(input: SaveSelectionInput): Promise<{ analysis: StoredSelection; created: boolean }>;
  /** The project's analyses, newest first. */
  history(projectId: string, limit?: number): Promise<StoredSelection[]>;
  /** The dashboard's history: newest first, keyset pages. */
  list(projectId: string, options?: { limit?: number; cursor?: string | null }): Promise<Page<SelectionSummary>>;
  /** One analysis with its rule and findings (in rank order); null when none has this id. */
  detail(analysisId: string): Promise<SelectionDetail | null>;
  /** Each parameter's scores in the project's newest analyses, oldest first. */
  timeline(projectId: string, limit?: number): Promise<SelectionScorePoint[]>;
}

export interface PredictionRepository {
  /**
   * What the run's final model predicted per case (validation and test), by split, task and case
   * id; [] for a run that logged none (one from before they were kept). Unknown run: [].
   */
  forRun(runId: string, filter?: PredictionFilter): Promise<CasePredictionInput[]>;
  /** One split and task of several runs, by case id. */
  forRuns(runIds: readonly string[], split: DataSplit, task: string): Promise<Map<string, CasePredictionInput[]>>;
}

export interface ArtifactRepository {
  /** Deletes stored bytes no artifact refers to any more. */
  pruneOrphans(): Promise<PruneOrphanBlobsResult>;
  list(runId: string): Promise<ArtifactInfo[]>;
  /** Artifact paths of several runs at once (one query; a run without artifacts: []). */
  pathsOf(runIds: readonly string[]): Promise<Map<string, string[]>>;
  /** The bytes, sha256-checked; null when the run has no artifact at that path. */
  fetch(runId: string, path: string): Promise<FetchedArtifact | null>;
}

export interface MetricRepository {
  /** Every series of the run with its point count and last value. */
  list(runId: string): Promise<SeriesInfo[]>;
  /** One series downsampled to ≤ maxPoints (each bucket's min and max, always the last point). */
  series(runId: string, key: string, options?: { maxPoints?: number }): Promise<ChartSeries>;
  /** Several series of one run, downsampled alike. */
  chart(runId: string, keys: readonly string[], options?: { maxPoints?: number }): Promise<ChartSeries[]>;
  latest(runIds: readonly string[]): Promise<Map<string, MetricPoint[]>>;
}

export interface ResultRepository {
  taskResults(runIds: readonly string[]): Promise<Map<string, TaskResultRecord[]>>;
  confusionMatrices(runId: string): Promise<ConfusionMatrixInput[]>;
  rocCurves(runId: string): Promise<RocCurveRecord[]>;
}

export interface TrackingRepositories {
  projects: ProjectRepository;
  datasets: DatasetRepository;
  splits: SplitRepository;
  sweeps: SweepRepository;
  runs: RunRepository;
  artifacts: ArtifactRepository;
  selections: SelectionRepository;
  metrics: MetricRepository;
  results: ResultRepository;
  predictions: PredictionRepository;
}

/** The repositories over one connection (libs and tests; apps get them from openTrackingDatabase). */
export function bindRepositories(connection: Pick<DbConnection, 'pool' | 'prisma'>, store = new PostgresTrackingStore(connection)): TrackingRepositories {
  const { pool, prisma } = connection;
  return {
    projects: {
      ensure: (name, description) => ensureProject(prisma, name, description),
      list: (options) => listProjects(pool, options),
      get: (projectId) => getProject(pool, projectId),
    },
    datasets: {
      save: (dataset) => saveDatasetVersion(prisma, dataset),
      get: (versionId) => getDatasetVersion(prisma, versionId),
      findByHash: (contentHash) => findDatasetVersionByHash(prisma, contentHash),
      find: (name, version) => findDatasetVersion(prisma, name, version),
      list: () => listDatasets(prisma),
      cases: (versionId) => listCases(prisma, versionId),
      splitComposition: (splitId) => splitComposition(pool, splitId),
    },
    splits: {
      save: (datasetVersionId, split) => saveSplit(prisma, datasetVersionId, split),
      get: (splitId) => getSplit(prisma, splitId),
    },
    sweeps: {
      create: (projectId, name, config) => createSweep(prisma, projectId, name, config),
      get: (sweepId) => getSweep(prisma, sweepId),
      setStatus: (sweepId, status) => setSweepStatus(prisma, sweepId, status),
      summarize: (sweepId, options) => summarizeSweep(pool, sweepId, options),
      find: (idOrName, projectName) => findSweep(prisma, idOrName, projectName),
      recent: (limit) => recentSweeps(prisma, limit),
      list: (options) => listSweeps(pool, options),
      detail: (sweepId) => getSweepDetail(pool, sweepId),
    },
    runs: {
      create: (input) => store.createRun(input),
      get: (runId) => getRun(prisma, runId),
      list: (filter) => listRuns(prisma, filter),
      page: (query) => queryRuns(pool, query),
      facets: (options) => runFacets(pool, options),
      params: (runIds) => paramsOf(pool, runIds),
      briefs: (runIds) => briefsOf(pool, runIds),
      tags: (runId) => store.getTags(runId),
      tagsOf: (runIds) => tagsOf(pool, runIds),
      setStatus: (runId, status, options) => setRunStatus(pool, runId, status, options),
      recordEnvironment: (runId, environment) => recordRunEnvironment(pool, runId, environment),
      markStale: (olderThanMs, now, options) => markStaleRuns(pool, olderThanMs, now, options),
      delete: (runId) => deleteRun(pool, runId),
      claimForAttempt: (runId, options) => claimRunForAttempt(pool, runId, options),
    },
    artifacts: {
      pruneOrphans: () => pruneOrphanBlobs(pool),
      list: (runId) => store.listArtifacts(runId),
      pathsOf: (runIds) => artifactPathsOf(pool, runIds),
      fetch: (runId, path) => store.fetchArtifact(runId, path),
    },
    metrics: {
      list: (runId) => listSeries(pool, runId),
      series: async (runId, key, options) => (await chartSeries(pool, runId, [key], options?.maxPoints))[0] as ChartSeries,
      chart: (runId, keys, options) => chartSeries(pool, runId, keys, options?.maxPoints),
      latest: (runIds) => latestMetricsOf(pool, runIds),
    },
    results: {
      taskResults: (runIds) => taskResultsOf(pool, runIds),
      confusionMatrices: (runId) => store.getConfusionMatrices(runId),
      rocCurves: (runId) => listRocCurves(pool, runId),
    },
    predictions: {
      forRun: (runId, filter) => listPredictions(pool, runId, filter),
      forRuns: (runIds, split, task) => predictionsOf(pool, runIds, split, task),
    },
    selections: {
      scoredRuns: (sweepIds) => sweepScoredRuns(pool, sweepIds),
      save: (input) => saveSelection(prisma, input),
      history: (projectId, limit) => selectionHistory(prisma, projectId, limit),
      list: (projectId, options) => listSelections(pool, projectId, options),
      detail: (analysisId) => getSelection(pool, analysisId),
      timeline: (projectId, limit) => selectionTimeline(pool, projectId, limit),
    },
  };
}
