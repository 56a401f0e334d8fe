// The seam between the CLI and the libraries that store and train. Commands ask for what they
// need here; each function says plainly when its library has not landed yet, before any work.
// TODO(lead): wire @ovus/tracking (database resolution incl. the embedded PostgreSQL, projects,
// sweeps, runs, dataset versions) and @ovus/ml-training (the run loop) here once they export
// their APIs. (@ovus/data is used directly by runtime/datasets.ts.)
import type { ValidatedDataset } from '@ovus/data';
import type { RunJobHandler } from '@ovus/jobs';
import type { ExpandedSweep, TrainConfig } from '../config';
import { NotYetAvailableError } from '../cli/errors';
import type { ProgressDisplay } from '../progress';
import type { TrainerEnv } from './env';

export interface SubmittedSweep {
  sweepId: string;
  /** False when this exact sweep had been submitted before. */
  created: boolean;
  runIds: string[];
  queued: string[];
  alreadyQueued: string[];
}

export interface DatabaseHandle {
  url: string;
  close(): Promise<void>;
}

/** DATABASE_URL, else the embedded PostgreSQL in the user's data folder (via @ovus/tracking). */
export async function openDatabase(env: TrainerEnv): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, close: async () => undefined };
  throw new NotYetAvailableError(
    'Running without DATABASE_URL (the embedded PostgreSQL)',
    "@ovus/tracking's database opener",
    'Meanwhile set DATABASE_URL=postgres://user:password@host:5432/database.',
  );
}

export async function submitSweep(_database: DatabaseHandle, _sweep: ExpandedSweep): Promise<SubmittedSweep> {
  throw new NotYetAvailableError('Submitting a sweep', '@ovus/tracking (ensureProject, createSweep, createRun, dataset lookup)');
}

export async function createRunJobHandler(_database: DatabaseHandle, _display: ProgressDisplay): Promise<RunJobHandler> {
  throw new NotYetAvailableError('Training queued runs', '@ovus/tracking (runs, metrics) and @ovus/ml-training (the run loop)');
}

export async function trainOnce(_database: DatabaseHandle, _config: TrainConfig, _display: ProgressDisplay): Promise<string> {
  throw new NotYetAvailableError('Training a run', '@ovus/tracking (runs, metrics) and @ovus/ml-training (the run loop)');
}

export async function findRunForRerun(_database: DatabaseHandle, _runId: string): Promise<{ runId: string; sweepId: string | null }> {
  throw new NotYetAvailableError('Re-running a run', '@ovus/tracking (getRun, run status reset)');
}

/** Stores a validated dataset as a version (the same content twice is one version); returns its id. */
export async function storeDatasetVersion(_database: DatabaseHandle, _dataset: ValidatedDataset): Promise<string> {
  throw new NotYetAvailableError('Storing a dataset version', '@ovus/tracking (saveDatasetVersion)', 'Use `import --check` to validate only.');
}

export async function printSweepSummary(_database: DatabaseHandle, _sweepId: string, _out: (text: string) => void): Promise<void> {
  throw new NotYetAvailableError('The backbone table', '@ovus/tracking (summarizeSweep)');
}
