// The seam between the CLI and the libraries that store and train: commands ask for what they
// need here. Storage goes through @ovus/tracking (the app may not import @ovus/db), training
// through @ovus/ml-training's loop (in execute-run.ts).
import { hostname } from 'node:os';
import type { ValidatedDataset } from '@ovus/data';
import type { RunJobHandler } from '@ovus/jobs';
import { initEngine, type BackendRequest } from '@ovus/ml-engine';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { groupKeyOf, type TrainConfig } from '../config';
import type { ProgressDisplay } from '../progress';
import { formatBackboneTable } from './backbone-table';
import { RunFactory } from './create-runs';
import { executeRun, type RunAttemptResult } from './execute-run';
import type { TrainerEnv } from './env';

export { submitSweep, type SubmittedSweep } from './submit-sweep';
export { executeRun, type RunAttemptResult } from './execute-run';
export { rerunTarget, type RerunTarget } from './rerun';
export { claimRunFromQueue } from './queue-guard';
export { interruptOnSignals } from './interrupt';

export type DatabaseHandle = TrackingDatabase;

/** DATABASE_URL, else the embedded PostgreSQL in the user's data folder; migrated. */
export async function openDatabase(env: TrainerEnv): Promise<DatabaseHandle> {
  return openTrackingDatabase({ databaseUrl: env.DATABASE_URL });
}

export interface AttemptOptions {
  backend: BackendRequest;
  host: string;
  log: (line: string) => void;
  gitCommit?: string;
  /** How often a run reports that it is alive (default 30 s); workers mark runs silent for 3× this stale. */
  heartbeatIntervalMs?: number;
}

/** What a worker runs for each job. The engine is set up first: a worker that cannot train takes no job. */
export async function createRunJobHandler(database: DatabaseHandle, display: ProgressDisplay, options: AttemptOptions): Promise<RunJobHandler> {
  await initEngine({ backend: options.backend });
  return async (job) => {
    const result = await executeRun({ ...options, database, display, runId: job.runId, host: job.host, signal: job.signal });
    return { status: result.status };
  };
}

export interface TrainOnceOptions extends Omit<AttemptOptions, 'host'> {
  project: string;
  host?: string;
  /** Aborting it stops the run at the next batch (marked killed). */
  signal?: AbortSignal;
  /** Called once the run exists (before training starts), e.g. to print its id. */
  onCreated?: (runId: string, name: string) => void;
}

/** A new run from `config`, trained here. */
export async function trainOnce(database: DatabaseHandle, config: TrainConfig, display: ProgressDisplay, options: TrainOnceOptions): Promise<RunAttemptResult> {
  const factory = new RunFactory(database);
  await factory.datasetVersion(config); // a missing dataset is refused before anything is stored
  const project = await database.projects.ensure(options.project);
  const width = config.backboneOptions.widthMultiplier;
  const name = `${config.backbone}${width === 1 ? '' : `-x${width}`}-${config.imageSize}px seed=${config.seed}`;
  const { run } = await factory.createRun({ projectId: project.id, sweepId: null, groupKey: groupKeyOf(config), name, config });
  options.onCreated?.(run.id, run.name);
  return executeRun({ ...options, database, display, runId: run.id, host: options.host ?? hostname() });
}

/** Stores a validated dataset as a version (the same content twice is one version). */
export async function storeDatasetVersion(database: DatabaseHandle, dataset: ValidatedDataset): Promise<{ id: string; created: boolean }> {
  return database.datasets.save(dataset);
}

export async function printSweepSummary(database: DatabaseHandle, sweepId: string, out: (text: string) => void): Promise<void> {
  out(await formatBackboneTable(database, sweepId));
}
