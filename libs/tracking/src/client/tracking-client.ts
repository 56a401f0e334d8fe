// The client the trainer logs through. Logging calls validate their arguments and throw at once if
// they are bad, then only enqueue: they never wait on the database. The flusher (flusher.ts)
// merges the queue into large idempotent batches, retries with backoff, and while the database is
// unreachable spills to a local journal that it replays once the database answers again. Journals
// of processes that died are replayed by journal-recovery.ts, beside this client.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { dataDir } from '@ovus/db';
import { TrackingInputError, UnknownRunError } from '../errors';
import type { TrackingStore } from '../store/tracking-store';
import type {
  CasePredictionInput,
  ConfusionMatrixInput,
  CreateRunInput,
  FetchedArtifact,
  KeyValue,
  RocCurveInput,
  TaskResultInput,
  TerminalRunStatus,
} from '../types';
import {
  checkArtifactKind,
  checkCasePrediction,
  checkArtifactPath,
  checkConfusionMatrix,
  checkKey,
  checkMetricValue,
  checkRocCurve,
  checkRunId,
  checkStep,
  checkTaskResult,
  checkText,
  checkTimestamp,
  paramsToKeyValues,
} from '../validation';
import { Flusher } from './flusher';
import { Journal, newOwnerId } from './journal';
import type { Operation } from './operations';
import { RunHandle } from './run-handle';

export { RunHandle } from './run-handle';

export interface TrackingClientOptions {
  store: TrackingStore;
  /** Where the spill journal lives; default <data dir>/journal (see @ovus/db dataDir). */
  journalDir?: string;
  /** How long a logged point may wait to be batched with others (default 200 ms). */
  flushIntervalMs?: number;
  /** Metric points per logBatch call (default 20,000). */
  maxBatchPoints?: number;
  /** logBatch calls in flight at once (default 2: one per core here). */
  concurrency?: number;
  /** Tries per write before spilling to the journal (default 3), with doubling delays from retryBaseMs. */
  retryAttempts?: number;
  retryBaseMs?: number;
  /** Longest wait between checks whether the database is back (default 5000 ms). */
  maxProbeIntervalMs?: number;
  /** Heartbeat period of started runs (default 30,000 ms; 0 turns automatic heartbeats off). */
  heartbeatIntervalMs?: number;
  /** Called for a write the database refused for good (not retried), e.g. a run deleted meanwhile. */
  onError?: (error: Error) => void;
  /** Called when the client goes offline or back online, and when it leaves a journal behind. */
  onWarning?: (message: string) => void;
}

export interface StartRunInput extends CreateRunInput {
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface LogArtifactOptions {
  /** Name within the run (default: the file's name); logging the same name again replaces it. */
  path?: string;
  /** e.g. "checkpoint", "predictions", "config" (default "file"). */
  kind?: string;
  step?: number | null;
}

export interface LoggedArtifact {
  path: string;
  sha256: string;
  bytes: number;
}

export interface TrackingClientStats {
  /** Operations waiting in memory. */
  queued: number;
  /** Operations written to the database (directly or by replay). */
  written: number;
  /** Operations appended to the journal. */
  spilled: number;
  /** Operations the database refused for good (reported through onError). */
  failed: number;
  /** True while the database is unreachable. */
  offline: boolean;
  /** Journal lines not yet replayed. */
  journalLines: number;
}

/** What close() leaves behind: nothing, or a journal that a later process must replay. */
export interface TrackingClientClosed {
  /** Journal lines not written to the database (0: everything is stored). */
  journalLines: number;
  journalFile: string;
  /** Runs whose ending (finished/failed/killed) is only in the journal. */
  endingsInJournal: string[];
}

interface RunState {
  params: Map<string, string>;
}

/** How often a started run tells the database it is alive, unless heartbeatIntervalMs says otherwise. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

const DEFAULTS = {
  flushIntervalMs: 200,
  maxBatchPoints: 20_000,
  concurrency: 2,
  retryAttempts: 3,
  retryBaseMs: 100,
  maxProbeIntervalMs: 5000,
  heartbeatIntervalMs: DEFAULT_HEARTBEAT_INTERVAL_MS,
};


export class TrackingClient {
  private readonly store: TrackingStore;
  private readonly journal: Journal;
  private readonly flusher: Flusher;
  private readonly onError: (error: Error) => void;
  private readonly onWarning: (message: string) => void;
  private readonly runs = new Map<string, RunState>();
  /** Runs ended in this client whose status may have gone to the journal. */
  private readonly ended = new Set<string>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly onBeforeExit = () => {
    if (this.flusher.pending() > 0) this.flusher.kick(true);
  };

  constructor(options: TrackingClientOptions) {
    this.store = options.store;
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs;
    this.journal = new Journal(options.journalDir ?? join(dataDir(), 'journal'), newOwnerId());
    this.onError = options.onError ?? ((error) => console.error(`[tracking] ${error.message}`));
    this.onWarning = options.onWarning ?? ((message) => console.warn(`[tracking] ${message}`));
    this.flusher = new Flusher(
      this.store,
      this.journal,
      {
        flushIntervalMs: options.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
        maxBatchPoints: options.maxBatchPoints ?? DEFAULTS.maxBatchPoints,
        concurrency: options.concurrency ?? DEFAULTS.concurrency,
        retryAttempts: options.retryAttempts ?? DEFAULTS.retryAttempts,
        retryBaseMs: options.retryBaseMs ?? DEFAULTS.retryBaseMs,
        maxProbeIntervalMs: options.maxProbeIntervalMs ?? DEFAULTS.maxProbeIntervalMs,
      },
      (error) => this.onError(error),
      this.onWarning,
    );
    // A process that ends without close() still gets its queue written.
    process.on('beforeExit', this.onBeforeExit);
    if (heartbeatIntervalMs > 0) {
      this.heartbeatTimer = setInterval(() => this.beatAll(), heartbeatIntervalMs);
      this.heartbeatTimer.unref();
    }
  }

  /** Where this client spills while the database is unreachable. */
  get journalFile(): string {
    return this.journal.file;
  }

  stats(): TrackingClientStats {
    return {
      queued: this.flusher.pending(),
      written: this.flusher.counters.written,
      spilled: this.flusher.counters.spilled,
      failed: this.flusher.counters.failed,
      offline: this.flusher.isOffline,
      journalLines: this.journal.pending,
    };
  }

  // ---- runs -----------------------------------------------------------------------------------

  /**
   * Creates the run (or finds it, when `id` names an existing one) and marks it running. This is
   * the one call that waits for the database: a run that cannot be created cannot be logged to.
   */
  async startRun(input: StartRunInput): Promise<RunHandle> {
    this.assertOpen();
    const { params, tags, ...fields } = input;
    const paramItems = params ? paramsToKeyValues(params) : [];
    const tagItems = tags ? paramsToKeyValues(tags, 'tags') : [];
    const created = await this.store.createRun(fields);
    await this.store.setRunStatus(created.run.id, 'running', { at: Date.now() });
    const run = (await this.store.getRun(created.run.id)) ?? created.run;
    await this.register(run.id);
    if (paramItems.length > 0) this.logParams(run.id, Object.fromEntries(paramItems.map((p) => [p.key, p.value])));
    if (tagItems.length > 0) this.setTags(run.id, Object.fromEntries(tagItems.map((t) => [t.key, t.value])));
    this.heartbeat(run.id);
    return new RunHandle(this, run);
  }

  /** Logs to an existing run (e.g. a resumed attempt) without changing its status. */
  async attachRun(runId: string): Promise<RunHandle> {
    this.assertOpen();
    checkRunId(runId);
    const run = await this.store.getRun(runId);
    if (!run) throw new UnknownRunError(runId);
    await this.register(runId);
    return new RunHandle(this, run);
  }

  private async register(runId: string): Promise<void> {
    // Known params let logParams refuse a changed value at the call, not later in the flusher.
    const params = await this.store.getParams(runId);
    this.runs.set(runId, { params: new Map(Object.entries(params)) });
  }

  /**
   * Ends the run: the status is queued behind everything logged before it, then the queue is
   * flushed. Resolves once that is in the database or, if it is unreachable, in the journal.
   */
  async endRun(runId: string, status: TerminalRunStatus, error?: string): Promise<void> {
    this.activeRun(runId, 'endRun');
    if (!['finished', 'failed', 'killed'].includes(status)) {
      throw new TrackingInputError(`endRun: status '${String(status)}' must be finished, failed or killed`);
    }
    if (error !== undefined) checkText(error, 'endRun.error');
    this.push({ kind: 'status', runId, status, at: Date.now(), error: error ?? null });
    this.runs.delete(runId);
    this.ended.add(runId);
    await this.flush();
  }

  // ---- logging (synchronous: validate, enqueue) -------------------------------------------------

  logParams(runId: string, params: Record<string, unknown>): void {
    const state = this.activeRun(runId, 'logParams');
    const items = paramsToKeyValues(params);
    for (const item of items) {
      checkText(item.value, `params.${item.key}`);
      const known = state.params.get(item.key);
      if (known !== undefined && known !== item.value) {
        throw new TrackingInputError(
          `logParams: param '${item.key}' of run ${runId} is already '${known}'; params are set once. Log a changed setting under a new key or as a tag.`,
        );
      }
    }
    for (const item of items) state.params.set(item.key, item.value);
    if (items.length > 0) this.push({ kind: 'params', runId, items });
  }

  logParam(runId: string, key: string, value: unknown): void {
    this.logParams(runId, { [key]: value });
  }

  setTags(runId: string, tags: Record<string, string>): void {
    this.activeRun(runId, 'setTags');
    const items: KeyValue[] = Object.entries(tags).map(([key, value]) => {
      checkKey(key, `tags.${key}`);
      checkText(value, `tags.${key}`);
      return { key, value };
    });
    if (items.length > 0) this.push({ kind: 'tags', runId, items });
  }

  setTag(runId: string, key: string, value: string): void {
    this.setTags(runId, { [key]: value });
  }

  /** One point of the series `key`; (run, key, step) identifies it, so logging it again is a no-op. */
  logMetric(runId: string, key: string, value: number, step: number, timestamp: number = Date.now()): void {
    this.activeRun(runId, 'logMetric');
    checkKey(key, 'logMetric.key');
    checkMetricValue(value, `logMetric(${key}).value`);
    checkStep(step, `logMetric(${key}).step`);
    checkTimestamp(timestamp, `logMetric(${key}).timestamp`);
    this.push({ kind: 'metric', runId, point: { key, value, step, timestamp } });
  }

  /** Several series at one step, e.g. { 'train/loss': 0.4, 'train/acc': 0.8 }. */
  logMetrics(runId: string, values: Record<string, number>, step: number, timestamp: number = Date.now()): void {
    this.activeRun(runId, 'logMetrics');
    checkStep(step, 'logMetrics.step');
    checkTimestamp(timestamp, 'logMetrics.timestamp');
    const entries = Object.entries(values);
    for (const [key, value] of entries) {
      checkKey(key, `logMetrics.${key}`);
      checkMetricValue(value, `logMetrics.${key}`);
    }
    for (const [key, value] of entries) this.push({ kind: 'metric', runId, point: { key, value, step, timestamp } });
  }

  logTaskResult(runId: string, result: TaskResultInput): void {
    this.activeRun(runId, 'logTaskResult');
    checkTaskResult(result);
    this.push({ kind: 'taskResult', runId, result: structuredClone(result) });
  }

  /**
   * Per-case predictions of the final model (validation and test), batched with the metrics and
   * journaled like them; idempotent on (run, split, task, case), the last value wins.
   */
  logPredictions(runId: string, predictions: readonly CasePredictionInput[]): void {
    this.activeRun(runId, 'logPredictions');
    if (!Array.isArray(predictions)) throw new TrackingInputError('logPredictions: expected an array of case predictions');
    predictions.forEach((p, i) => checkCasePrediction(p, `logPredictions[${i}]`));
    if (predictions.length === 0) return;
    this.push({ kind: 'predictions', runId, items: predictions.map((p) => ({ ...p, probabilities: [...p.probabilities] })) });
  }

  logConfusionMatrix(runId: string, matrix: ConfusionMatrixInput): void {
    this.activeRun(runId, 'logConfusionMatrix');
    checkConfusionMatrix(matrix);
    this.push({ kind: 'confusion', runId, matrix: structuredClone(matrix) });
  }

  logRocCurve(runId: string, curve: RocCurveInput): void {
    this.activeRun(runId, 'logRocCurve');
    checkRocCurve(curve);
    this.push({ kind: 'roc', runId, curve: structuredClone(curve) });
  }

  /**
   * Reads the file now (so a checkpoint overwritten next epoch is logged as it was), hashes it and
   * queues its bytes; they are kept in the database so another host can fetch them.
   */
  async logArtifact(runId: string, file: string, options: LogArtifactOptions = {}): Promise<LoggedArtifact> {
    this.activeRun(runId, 'logArtifact');
    const data = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new TrackingInputError(`logArtifact: cannot read ${file} (${error.code ?? error.message})`, { cause: error });
    });
    return this.logArtifactBytes(runId, options.path ?? basename(file), data, options);
  }

  logArtifactBytes(runId: string, path: string, data: Uint8Array, options: Omit<LogArtifactOptions, 'path'> = {}): LoggedArtifact {
    this.activeRun(runId, 'logArtifact');
    checkArtifactPath(path);
    const kind = options.kind ?? 'file';
    checkArtifactKind(kind);
    const step = options.step ?? null;
    if (step !== null) checkStep(step, 'logArtifact.step');
    const bytes = Buffer.from(data);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.push({ kind: 'artifact', runId, path, artifactKind: kind, step, sha256, data: bytes });
    return { path, sha256, bytes: bytes.length };
  }

  /**
   * Deletes the run's artifacts at these paths (and their bytes unless another artifact refers to
   * them). Queued like every write, so it happens after everything logged before it: an artifact
   * logged and then superseded is never deleted before its successor is stored.
   */
  deleteArtifacts(runId: string, paths: readonly string[]): void {
    this.activeRun(runId, 'deleteArtifacts');
    for (const path of paths) checkArtifactPath(path, 'deleteArtifacts.path');
    if (paths.length > 0) this.push({ kind: 'deleteArtifacts', runId, paths: [...paths] });
  }

  /** Flushes, then reads the artifact's bytes from the database (optionally into `toFile`). */
  async fetchArtifact(runId: string, path: string, toFile?: string): Promise<FetchedArtifact> {
    checkRunId(runId);
    await this.flush();
    const artifact = await this.store.fetchArtifact(runId, path);
    if (!artifact) throw new TrackingInputError(`fetchArtifact: run ${runId} has no artifact '${path}'`);
    const sha256 = createHash('sha256').update(artifact.data).digest('hex');
    if (sha256 !== artifact.sha256) {
      throw new Error(`fetchArtifact: stored bytes of '${path}' hash to ${sha256}, expected ${artifact.sha256}; the blob is damaged`);
    }
    if (toFile) await writeFile(toFile, artifact.data);
    return artifact;
  }

  /** Tells the store the run's process is alive (also sent automatically every heartbeatIntervalMs). */
  heartbeat(runId: string): void {
    this.activeRun(runId, 'heartbeat');
    this.push({ kind: 'heartbeat', runId, at: Date.now() });
  }

  // ---- draining ---------------------------------------------------------------------------------

  /** Resolves when everything logged before the call is in the database or in the journal. */
  async flush(): Promise<void> {
    await this.flusher.flush();
  }

  /**
   * Flushes and stops. If the database is unreachable, what could not be written stays in the
   * journal (the result says how much, and which run endings are only there); any process of the
   * project that opens the database on this host replays it, and so does `ovus journal replay`.
   */
  async close(): Promise<TrackingClientClosed> {
    const nothing: TrackingClientClosed = { journalLines: 0, journalFile: this.journal.file, endingsInJournal: [] };
    if (this.closed) return { ...nothing, journalLines: this.journal.pending };
    for (const runId of this.runs.keys()) this.heartbeat(runId);
    const offlineAtEnd = () => this.flusher.isOffline;
    await this.flusher.stop();
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    process.off('beforeExit', this.onBeforeExit);
    const lines = this.journal.pending;
    this.journal.release();
    if (lines === 0) return nothing;
    this.onWarning(`${lines} journal line(s) could not be written to the database; they are in ${this.journal.file}. Replay them with: ovus journal replay`);
    return { journalLines: lines, journalFile: this.journal.file, endingsInJournal: offlineAtEnd() ? [...this.ended] : [] };
  }

  // ---- internals --------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new Error('This TrackingClient is closed; create a new one.');
  }

  private activeRun(runId: string, where: string): RunState {
    this.assertOpen();
    checkRunId(runId, `${where}.runId`);
    const state = this.runs.get(runId);
    if (!state) {
      throw new TrackingInputError(
        `${where}: run ${runId} is not active in this client. Use the id from startRun/attachRun; a run cannot be logged to after endRun.`,
      );
    }
    return state;
  }

  private push(op: Operation): void {
    this.flusher.push(op);
  }

  private beatAll(): void {
    for (const runId of this.runs.keys()) this.heartbeat(runId);
  }
}
