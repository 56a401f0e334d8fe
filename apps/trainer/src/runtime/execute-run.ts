// One attempt at a stored run, wherever it comes from (`train`, `train --resume`, a worker's job,
// `rerun --here`): the run's own config, its dataset version and saved split, the last checkpoint
// if an earlier attempt left one, and everything logged to the run as it trains.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, isEngineCrash, type BackendRequest } from '@ovus/ml-engine';
import { prepareRunData, trainModel, type TrainingOutcome } from '@ovus/ml-training';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  TrackingClient,
  type RunHandle,
  type RunRecord,
  type TrackingDatabase,
} from '@ovus/tracking';
import { LeaseLostError } from '@ovus/jobs';
import { ovusCommand } from '../cli/command-line';
import { CliError, EXIT_CODES } from '../cli/errors';
import { trainConfigSchema, type TrainConfig } from '../config';
import { formatDuration, type ProgressDisplay } from '../progress';
import { trackActiveRun } from './active-runs';
import { noteJournalLeft } from './journal-notice';
import { RunInterruptedError } from './interrupt';
import { backendFor, flattenConfig, loopConfigOf } from './loop-config';
import { EngineCrashError, engineCrashMessage } from './engine-crash';
import { BestModelArtifacts, bestModelArtifact, fetchResumePoint, LATEST_CHECKPOINT, logFolder } from './run-checkpoints';
import { gitCommit, hardwareDescription } from './run-environment';
import { logEpoch, logResults, logStep } from './run-logging';

export interface ExecuteRunOptions {
  database: TrackingDatabase;
  runId: string;
  /** The worker's --backend; 'auto' leaves the choice to the run's config. */
  backend: BackendRequest;
  host: string;
  display: ProgressDisplay;
  /**
   * Aborted when the attempt must stop: the run is marked killed with how it goes on (worker
   * stopping, Ctrl-C), or left alone when its lease was lost (another worker has it now).
   */
  signal?: AbortSignal;
  /** How often the run reports that it is alive (default: the tracking client's, 30 s). */
  heartbeatIntervalMs?: number;
  /** Informational lines (resume point, weight report). */
  log: (line: string) => void;
  gitCommit?: string;
  /**
   * This process trains the run on its own (`train --resume`, `rerun --here`), not as a queue job:
   * it claims the run first, refused (exit 3) while another live process holds it.
   * 'after-queue-take-over': the run's queued job was just cancelled for this process, so the
   * worker attempt that last marked it running is over whatever its heartbeat says.
   */
  claim?: boolean | 'after-queue-take-over';
}

export interface RunAttemptResult {
  status: 'finished' | 'already-finished';
  run: RunRecord;
  /** The loop's outcome when this attempt trained. */
  outcome?: TrainingOutcome;
}

export async function executeRun(options: ExecuteRunOptions): Promise<RunAttemptResult> {
  const { database, runId } = options;
  const stored = await database.runs.get(runId).catch((error: Error) => {
    throw new CliError(`'${runId}' is not a run id (${error.message}).`, EXIT_CODES.badConfig);
  });
  if (!stored) throw new CliError(`Run ${runId} does not exist in ${database.displayUrl}.`, EXIT_CODES.badConfig);
  if (stored.status === 'finished') {
    options.log(`run ${runId} (${stored.name}) has already finished; nothing to do`);
    return { status: 'already-finished', run: stored };
  }
  const config = parseStoredConfig(stored);
  // A run that has started before may have writes in a journal of this host: they go in first, so
  // that a replayed ending of an earlier attempt cannot land on top of this one.
  if (stored.status !== 'queued' || stored.attempt > 0) await database.recovery;
  if (options.claim) await claimRun(database, runId, options.host, options.heartbeatIntervalMs, options.claim === 'after-queue-take-over');

  const client = new TrackingClient({
    store: database.store,
    journalDir: database.journalDir,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    onWarning: (m) => options.log(`tracking: ${m}`),
  });
  const workDir = await mkdtemp(join(tmpdir(), `ovus-run-${runId.slice(0, 8)}-`));
  const progress = options.display.forRun(stored.name);
  let run: RunHandle | undefined;
  let untrack = () => undefined as void;
  let epochsDone = 0;
  let engineBackend: string | undefined;
  try {
    // Running from here on: whatever stops this attempt now ends the run with a status and a reason.
    run = await client.startRun({ ...runFields(stored), id: runId });
    const handle = run;
    untrack = trackActiveRun(runId, (errorText) => handle.end('failed', errorText));
    const engine = await initEngine({ backend: backendFor(config, options.backend) });
    engineBackend = engine.backend;
    const { version, cases, split } = await runInputs(database, stored);
    await database.runs.recordEnvironment(runId, {
      gitCommit: await gitCommit(options.gitCommit),
      tfjsBackend: engine.backend,
      host: options.host,
      // The pid lets a later attempt on this host see that this process is gone (run-claim.ts).
      hardware: { ...hardwareDescription(engine), pid: process.pid },
      attempt: stored.attempt + 1,
    });
    // The same values on every attempt (params are set once): the config, flattened.
    run.logParams(flattenConfig(config));
    run.setTags({ dataset: version.datasetName, dataset_version: version.contentHash.slice(0, 12), attempt: String(stored.attempt + 1), host: options.host });

    const resume = await fetchResumePoint(database, runId, workDir);
    if (stored.attempt > 0 || stored.status !== 'queued') {
      options.log(
        resume
          ? `run ${runId}: resuming at epoch ${resume.epoch + 1} of ${config.epochs} from its checkpoint of epoch ${resume.epoch} (${LATEST_CHECKPOINT})`
          : `run ${runId}: no checkpoint was stored by its earlier attempt(s); training from the start (epoch 1)`,
      );
    }
    const bestModels = await BestModelArtifacts.load(database.store, runId);
    const data = await prepareRunData({ rootDir: version.rootDir, cases, split, tasks: config.tasks, imageSize: config.imageSize });
    const outcome = await trainModel({
      config: loopConfigOf(config),
      data,
      workDir: join(workDir, 'train'),
      resume,
      signal: options.signal,
      callbacks: {
        onStart: (plan) => {
          epochsDone = plan.startEpoch - 1;
          progress.onStart({ epochs: plan.epochs, stepsPerEpoch: plan.stepsPerEpoch, batchSize: plan.batchSize });
        },
        onStep: (event) => logStep(handle, progress, event),
        onEpoch: (event) => {
          epochsDone = event.epoch;
          logEpoch(handle, progress, event);
        },
        onBestModel: async (event) => {
          await logFolder(handle, bestModelArtifact(event.epoch), event.dir, 'model', event.epoch);
          bestModels.logged(event.epoch);
        },
        onCheckpoint: async (event) => {
          await logFolder(handle, LATEST_CHECKPOINT, event.dir, 'checkpoint', event.globalStep);
          handle.setTags({ checkpoint_epoch: String(event.epoch) });
          bestModels.pruneAfterCheckpoint(handle, event.state.selection.bestEpoch);
          // Durable (in the database, or in the journal while it is away) before the next epoch
          // starts: a SIGKILL then loses at most the epoch in progress, which a resume repeats.
          await client.flush();
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
    const stopReason: unknown = options.signal?.aborted ? options.signal.reason : undefined;
    const crashed = stopReason === undefined && isEngineCrash(error);
    const message = crashed
      ? engineCrashMessage(config, engineBackend ?? backendFor(config, options.backend), errorMessage(error))
      : errorMessage(stopReason ?? error);
    progress.onEnd({ status: stopReason === undefined ? 'failed' : 'stopped', epochs: epochsDone, error: message });
    if (stopReason instanceof LeaseLostError) throw error; // another worker has the run now: its status is theirs
    if (stopReason === undefined) {
      await run?.end('failed', message.slice(0, 10_000)).catch(() => undefined);
      throw crashed ? new EngineCrashError(`Run ${runId}: ${message}`) : error;
    }
    // Asked to stop (worker stopping, Ctrl-C): killed, with how it goes on.
    const next =
      stopReason instanceof RunInterruptedError
        ? `Continue it from its last checkpoint with: ${ovusCommand('train', '--resume', runId)}`
        : `Its next attempt continues from its last checkpoint (if it has no attempts left: ${ovusCommand('rerun', runId)}).`;
    const text = `Stopped after ${epochsDone} epoch(s) on ${options.host}: ${message} ${next}`;
    await run?.end('killed', text.slice(0, 10_000)).catch(() => undefined);
    if (stopReason instanceof RunInterruptedError) throw new CliError(`Run ${runId}: ${text}`, EXIT_CODES.interrupted);
    throw error;
  } finally {
    untrack();
    noteJournalLeft(await client.close());
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Claims the run for this process, or says who holds it and how to take over (exit 3). */
async function claimRun(
  database: TrackingDatabase,
  runId: string,
  host: string,
  heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS,
  holderIsOver = false,
): Promise<void> {
  const liveWithinMs = 3 * heartbeatIntervalMs;
  const result = await database.runs.claimForAttempt(runId, { host, pid: process.pid, liveWithinMs, holderIsOver });
  if (result.claimed) return;
  const { holder } = result;
  const heard = holder.heartbeatAt === null ? '' : `, last heartbeat ${formatDuration(Date.now() - holder.heartbeatAt)} ago`;
  const where = `${holder.host ?? 'an unknown host'}${holder.pid === null ? '' : ` (pid ${holder.pid})`}`;
  throw new CliError(
    `Run ${runId} is being trained by another process on ${where}${heard}; training it here too would train it twice. ` +
      `To take over, stop that process (Ctrl-C there marks the run killed) and run this command again. ` +
      `If that process is gone without a word (machine lost), the run can be taken over ${formatDuration(liveWithinMs)} after its last heartbeat.`,
    EXIT_CODES.refused,
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseStoredConfig(run: RunRecord): TrainConfig {
  const parsed = trainConfigSchema.safeParse(run.config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new CliError(`Run ${run.id} has a stored config this version cannot train (${problems}). Create a new run.`, EXIT_CODES.badConfig);
}

async function runInputs(database: TrackingDatabase, run: RunRecord) {
  if (!run.datasetVersionId || !run.splitId) {
    throw new CliError(`Run ${run.id} has no dataset version or split recorded; runs made by train or sweep always have both.`, EXIT_CODES.badConfig);
  }
  const [version, cases, split] = await Promise.all([
    database.datasets.get(run.datasetVersionId),
    database.datasets.cases(run.datasetVersionId),
    database.splits.get(run.splitId),
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
