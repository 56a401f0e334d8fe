// One attempt at a stored run, wherever it comes from (`train`, `train --resume`, a worker's job,
// `rerun --here`): the run's own config, its dataset version and saved split, the last checkpoint
// if an earlier attempt left one, and everything logged to the run as it trains.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, type BackendRequest } from '@ovus/ml-engine';
import { prepareRunData, trainModel, type TrainingOutcome } from '@ovus/ml-training';
import {
  getDatasetVersion,
  getRun,
  getSplit,
  listCases,
  recordRunEnvironment,
  TrackingClient,
  type RunHandle,
  type RunRecord,
  type TrackingDatabase,
} from '@ovus/tracking';
import { CliError, EXIT_CODES } from '../cli/errors';
import { trainConfigSchema, type TrainConfig } from '../config';
import type { ProgressDisplay } from '../progress';
import { backendFor, flattenConfig, loopConfigOf } from './loop-config';
import { bestModelArtifact, fetchResumePoint, LATEST_CHECKPOINT, logFolder } from './run-checkpoints';
import { gitCommit, hardwareDescription } from './run-environment';
import { logEpoch, logResults, logStep } from './run-logging';

export interface ExecuteRunOptions {
  database: TrackingDatabase;
  runId: string;
  /** The worker's --backend; 'auto' leaves the choice to the run's config. */
  backend: BackendRequest;
  host: string;
  display: ProgressDisplay;
  /** Aborted when the attempt must stop (worker stopping, lease lost): the run is left to the next attempt. */
  signal?: AbortSignal;
  /** Informational lines (resume point, weight report). */
  log: (line: string) => void;
  gitCommit?: string;
}

export interface RunAttemptResult {
  status: 'finished' | 'already-finished';
  run: RunRecord;
  /** The loop's outcome when this attempt trained. */
  outcome?: TrainingOutcome;
}

export async function executeRun(options: ExecuteRunOptions): Promise<RunAttemptResult> {
  const { database, runId } = options;
  const stored = await getRun(database.prisma, runId).catch((error: Error) => {
    throw new CliError(`'${runId}' is not a run id (${error.message}).`, EXIT_CODES.badConfig);
  });
  if (!stored) throw new CliError(`Run ${runId} does not exist in ${database.displayUrl}.`, EXIT_CODES.badConfig);
  if (stored.status === 'finished') {
    options.log(`run ${runId} (${stored.name}) has already finished; nothing to do`);
    return { status: 'already-finished', run: stored };
  }
  const config = parseStoredConfig(stored);
  const engine = await initEngine({ backend: backendFor(config, options.backend) });

  const { version, cases, split } = await runInputs(database, stored);
  await recordRunEnvironment(database.pool, runId, {
    gitCommit: await gitCommit(options.gitCommit),
    tfjsBackend: engine.backend,
    host: options.host,
    hardware: hardwareDescription(engine),
    attempt: stored.attempt + 1,
  });

  const client = new TrackingClient({ store: database.store, onWarning: (m) => options.log(`tracking: ${m}`) });
  const workDir = await mkdtemp(join(tmpdir(), `ovus-run-${runId.slice(0, 8)}-`));
  const progress = options.display.forRun(stored.name);
  let run: RunHandle | undefined;
  try {
    run = await client.startRun({ ...runFields(stored), id: runId });
    // The same values on every attempt (params are set once): the config, flattened.
    run.logParams(flattenConfig(config));
    run.setTags({ dataset: version.datasetName, dataset_version: version.contentHash.slice(0, 12), attempt: String(stored.attempt + 1), host: options.host });

    const resume = await fetchResumePoint(database, runId, workDir);
    const data = await prepareRunData({ rootDir: version.rootDir, cases, split, tasks: config.tasks, imageSize: config.imageSize });
    const handle = run;
    const outcome = await trainModel({
      config: loopConfigOf(config),
      data,
      workDir: join(workDir, 'train'),
      resume,
      signal: options.signal,
      callbacks: {
        onStart: (plan) => {
          if (plan.resumed) options.log(`run ${runId}: resuming at epoch ${plan.startEpoch} of ${plan.epochs}`);
          progress.onStart({ epochs: plan.epochs, stepsPerEpoch: plan.stepsPerEpoch, batchSize: plan.batchSize });
        },
        onStep: (event) => logStep(handle, progress, event),
        onEpoch: (event) => logEpoch(handle, progress, event),
        onBestModel: (event) => logFolder(handle, bestModelArtifact(event.epoch), event.dir, 'model', event.epoch),
        onCheckpoint: async (event) => {
          await logFolder(handle, LATEST_CHECKPOINT, event.dir, 'checkpoint', event.globalStep);
          handle.setTags({ checkpoint_epoch: String(event.epoch) });
        },
        onLog: (message) => options.log(`run ${runId}: ${message}`),
      },
    });
    logResults(run, outcome);
    run.setTags({
      selected_epoch: String(outcome.selectedEpoch),
      // Validation picked a best epoch (saved on its own), or there was none and the last epoch counts.
      selected_model: outcome.selection.value !== null ? bestModelArtifact(outcome.selectedEpoch) : LATEST_CHECKPOINT,
      stopped_early: String(outcome.stoppedEarly),
      training_ms: String(Math.round(outcome.timings.trainingMs)),
      evaluation_ms: String(Math.round(outcome.timings.evaluationMs)),
    });
    await run.end('finished');
    progress.onEnd({ status: 'finished', epochs: outcome.epochsCompleted });
    return { status: 'finished', run: { ...stored, status: 'finished' }, outcome };
  } catch (error) {
    const stopped = options.signal?.aborted === true;
    progress.onEnd({ status: stopped ? 'stopped' : 'failed', epochs: 0, error: (error as Error).message });
    // A stopped attempt is not a failed run: its job is retried and the next attempt resumes.
    if (run && !stopped) await run.end('failed', (error as Error).message.slice(0, 10_000)).catch(() => undefined);
    throw error;
  } finally {
    await client.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

function parseStoredConfig(run: RunRecord): TrainConfig {
  const parsed = trainConfigSchema.safeParse(run.config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new CliError(`Run ${run.id} has a stored config this version cannot train (${problems}). Create a new run.`, EXIT_CODES.badConfig);
}

async function runInputs(database: TrackingDatabase, run: RunRecord) {
  if (!run.datasetVersionId || !run.splitId) {
    throw new CliError(`Run ${run.id} has no dataset version or split recorded; runs made by ovus train/sweep always have both.`, EXIT_CODES.badConfig);
  }
  const [version, cases, split] = await Promise.all([
    getDatasetVersion(database.prisma, run.datasetVersionId),
    listCases(database.prisma, run.datasetVersionId),
    getSplit(database.prisma, run.splitId),
  ]);
  if (!version || !split) throw new CliError(`Run ${run.id}: its dataset version or split was deleted.`, EXIT_CODES.badConfig);
  return { version, cases, split };
}

function runFields(run: RunRecord) {
  return {
    projectId: run.projectId,
    sweepId: run.sweepId,
    groupKey: run.groupKey,
    name: run.name,
    backbone: run.backbone,
    tasks: run.tasks,
    imageSize: run.imageSize,
    seed: run.seed,
    fold: run.fold,
    config: run.config,
  };
}
