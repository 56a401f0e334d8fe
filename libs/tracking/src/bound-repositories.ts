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
import { recordRunEnvironment, type RunEnvironment } from './repositories/run-environment';
import { markStaleRuns, setRunStatus, type MarkStaleRunsOptions } from './repositories/run-status';
import { createRun, getRun, listRuns, type ListRunsFilter } from './repositories/runs';
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
import type { SetRunStatusOptions } from './store/tracking-store';
import type { CreateRunInput, RunRecord, RunStatus } from './types';

export interface ProjectRepository {
  /** The project with this name, created if missing (safe under concurrent callers). */
  ensure(name: string, description?: string): Promise<Project>;
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
}

export interface RunRepository {
  /** Idempotent when the caller gives the id. */
  create(input: CreateRunInput): Promise<{ run: RunRecord; created: boolean }>;
  get(runId: string): Promise<RunRecord | null>;
  list(filter?: ListRunsFilter): Promise<RunRecord[]>;
  setStatus(runId: string, status: RunStatus, options?: SetRunStatusOptions): Promise<void>;
  /** Where and with what an attempt runs (filled in by the worker at each attempt). */
  recordEnvironment(runId: string, environment: RunEnvironment): Promise<void>;
  /** Marks running runs silent for `olderThanMs` stale; returns their ids. */
  markStale(olderThanMs: number, now?: number, options?: MarkStaleRunsOptions): Promise<string[]>;
  /** Deletes the run, everything it logged, and the bytes only it referred to. */
  delete(runId: string): Promise<PruneOrphanBlobsResult>;
}

export interface SelectionRepository {
  /** Finished runs of the sweeps with each head's test-part scores and confusion matrix. */
  scoredRuns(sweepIds: readonly string[]): Promise<ScoredRun[]>;
  /** Idempotent by content hash: the same analysis twice is one row. */
  save(input: SaveSelectionInput): Promise<{ analysis: StoredSelection; created: boolean }>;
  /** The project's analyses, newest first. */
  history(projectId: string, limit?: number): Promise<StoredSelection[]>;
}

export interface ArtifactRepository {
  /** Deletes stored bytes no artifact refers to any more. */
  pruneOrphans(): Promise<PruneOrphanBlobsResult>;
}

export interface TrackingRepositories {
  projects: ProjectRepository;
  datasets: DatasetRepository;
  splits: SplitRepository;
  sweeps: SweepRepository;
  runs: RunRepository;
  artifacts: ArtifactRepository;
  selections: SelectionRepository;
}

/** The repositories over one connection (libs and tests; apps get them from openTrackingDatabase). */
export function bindRepositories(connection: Pick<DbConnection, 'pool' | 'prisma'>): TrackingRepositories {
  const { pool, prisma } = connection;
  return {
    projects: {
      ensure: (name, description) => ensureProject(prisma, name, description),
    },
    datasets: {
      save: (dataset) => saveDatasetVersion(prisma, dataset),
      get: (versionId) => getDatasetVersion(prisma, versionId),
      findByHash: (contentHash) => findDatasetVersionByHash(prisma, contentHash),
      find: (name, version) => findDatasetVersion(prisma, name, version),
      list: () => listDatasets(prisma),
      cases: (versionId) => listCases(prisma, versionId),
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
    },
    runs: {
      create: (input) => createRun(prisma, input),
      get: (runId) => getRun(prisma, runId),
      list: (filter) => listRuns(prisma, filter),
      setStatus: (runId, status, options) => setRunStatus(pool, runId, status, options),
      recordEnvironment: (runId, environment) => recordRunEnvironment(pool, runId, environment),
      markStale: (olderThanMs, now, options) => markStaleRuns(pool, olderThanMs, now, options),
      delete: (runId) => deleteRun(pool, runId),
    },
    artifacts: {
      pruneOrphans: () => pruneOrphanBlobs(pool),
    },
    selections: {
      scoredRuns: (sweepIds) => sweepScoredRuns(pool, sweepIds),
      save: (input) => saveSelection(prisma, input),
      history: (projectId, limit) => selectionHistory(prisma, projectId, limit),
    },
  };
}
