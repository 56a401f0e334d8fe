// The client the trainer logs through. Logging calls validate their arguments and throw at once if
// they are bad, then only enqueue: they never wait on the database. A background flusher merges
// the queue into large idempotent batches, retries with backoff, and while the database is
// unreachable spills to a local journal that it replays once the database answers again.
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
  RunRecord,
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
import { Journal, newOwnerId, type JournalEntry } from './journal';
import { applySingle, isBatchable, mergeBatchable, weight, type BatchableOperation, type Operation, type RunBatch } from './operations';
import { isTransientDatabaseError } from './transient';

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
  private readonly options: typeof DEFAULTS;
  private readonly journal: Journal;
  private readonly onError: (error: Error) => void;
  private readonly onWarning: (message: string) => void;

  private queue: Operation[] = [];
  private head = 0;
  private enqueued = 0;
  private settled = 0;
  private readonly waiters: { target: number; resolve: () => void }[] = [];
  private readonly runs = new Map<string, RunState>();

  private pumping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private offline = false;
  private closed = false;
  private claimedJournals: string[] = [];
  private readonly recovery: Promise<void>;
  private wake: (() => void) | null = null;
  private counters = { written: 0, spilled: 0, failed: 0 };
  private readonly onBeforeExit = () => {
    if (this.pending() > 0) this.kick();
  };

  constructor(options: TrackingClientOptions) {
    this.store = options.store;
    this.options = {
      flushIntervalMs: options.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
      maxBatchPoints: options.maxBatchPoints ?? DEFAULTS.maxBatchPoints,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      retryAttempts: options.retryAttempts ?? DEFAULTS.retryAttempts,
      retryBaseMs: options.retryBaseMs ?? DEFAULTS.retryBaseMs,
      maxProbeIntervalMs: options.maxProbeIntervalMs ?? DEFAULTS.maxProbeIntervalMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
    };
    this.journal = new Journal(options.journalDir ?? join(dataDir(), 'journal'), newOwnerId());
    this.onError = options.onError ?? ((error) => console.error(`[tracking] ${error.message}`));
    this.onWarning = options.onWarning ?? ((message) => console.warn(`[tracking] ${message}`));
    // A process that ends without close() still gets its queue written.
    process.on('beforeExit', this.onBeforeExit);
    if (this.options.heartbeatIntervalMs > 0) {
      this.heartbeatTimer = setInterval(() => this.beatAll(), this.options.heartbeatIntervalMs);
      this.heartbeatTimer.unref();
    }
    // Journals left by clients that died are replayed in the background, before anything else.
    this.recovery = this.recoverOrphans();
    this.kick();
  }

  /** Resolves when journals left by dead clients have been replayed, or found unreplayable for now. */
  recovered(): Promise<void> {
    return this.recovery;
  }

  private async recoverOrphans(): Promise<void> {
    try {
      this.claimedJournals = await this.journal.claimOrphans();
      await this.replayClaimed();
    } catch (error) {
      this.reportFailure(error as Error);
    }
  }

  /** Where this client spills while the database is unreachable. */
  get journalFile(): string {
    return this.journal.file;
  }

  stats(): TrackingClientStats {
    return {
      queued: this.pending(),
      ...this.counters,
      offline: this.offline,
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
    const target = this.enqueued;
    if (this.settled >= target) return;
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.kick(true);
    await done;
  }

  /**
   * Flushes and stops. If the database is unreachable, what could not be written stays in the
   * journal and the next client on this host replays it.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const runId of this.runs.keys()) this.heartbeat(runId);
    await this.flush();
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.timer) clearTimeout(this.timer);
    this.wake?.(); // cut short a wait for the database to come back
    process.off('beforeExit', this.onBeforeExit);
    await this.pumping;
    if (this.journal.pending > 0) {
      this.onWarning(`${this.journal.pending} journal lines could not be written yet; they stay in ${this.journal.file} and are replayed by the next client.`);
    }
    this.journal.release();
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

  private pending(): number {
    return this.queue.length - this.head;
  }

  private push(op: Operation): void {
    this.queue.push(op);
    this.enqueued += 1;
    if (this.pending() >= this.options.maxBatchPoints * this.options.concurrency) this.kick(true);
    else this.kick();
  }

  private beatAll(): void {
    for (const runId of this.runs.keys()) this.heartbeat(runId);
  }

  /** Starts the flusher now (`now`) or after the batching interval. */
  private kick(now = false): void {
    if (this.pumping) return;
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.pumping = this.pump()
        .catch((error: Error) => {
          // Only the journal's file system can fail here (e.g. a full disk): nothing more can be saved.
          const lost = this.pending();
          this.head = this.queue.length;
          this.settle(lost);
          this.reportFailure(new Error(`the tracking flusher failed (${error.message}); ${lost} queued operations were lost`));
        })
        .finally(() => {
        this.pumping = null;
        if (this.pending() > 0 || this.waiters.length > 0) this.kick(true);
      });
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick(true);
      }, this.options.flushIntervalMs);
      this.timer.unref();
    }
  }

  private take(): Operation[] {
    const first = this.queue[this.head] as Operation;
    let end = this.head + 1;
    if (isBatchable(first)) {
      const limit = this.options.maxBatchPoints * this.options.concurrency;
      let points = weight(first);
      while (end < this.queue.length && points < limit) {
        const next = this.queue[end] as Operation;
        if (!isBatchable(next)) break;
        points += weight(next);
        end += 1;
      }
    }
    const ops = this.queue.slice(this.head, end);
    this.head = end;
    // Drop the consumed prefix now and then, so the array does not grow without bound.
    if (this.head > 100_000 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return ops;
  }

  private settle(count: number): void {
    this.settled += count;
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i] as { target: number; resolve: () => void };
      if (this.settled >= waiter.target) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Waits `ms`, or less if close() is called. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = null;
    });
  }

  private async pump(): Promise<void> {
    await this.recovery;
    // Journals claimed while the database was away: try again now that there is work to do.
    if (this.claimedJournals.length > 0 && !this.offline) {
      await this.replayClaimed().catch((error: Error) => this.reportFailure(error));
    }
    let probeDelay = this.options.retryBaseMs;
    while (this.pending() > 0 || (this.offline && this.journal.pending > 0 && !this.closed)) {
      if (this.offline) {
        await this.spillQueue();
        if (this.closed) return;
        if (await this.tryReconnect()) {
          probeDelay = this.options.retryBaseMs;
          continue;
        }
        // Nothing is waiting on us but the database: wait, then look again.
        await this.sleep(probeDelay);
        probeDelay = Math.min(probeDelay * 2, this.options.maxProbeIntervalMs);
        continue;
      }
      const ops = this.take();
      const ok = await this.write(ops);
      if (ok) {
        this.counters.written += ops.length;
        this.settle(ops.length);
      } else {
        this.offline = true;
        this.onWarning(`the database is unreachable; spilling to ${this.journal.file} until it is back`);
        await this.spill(ops);
      }
    }
  }

  /** Writes a segment; false if the database stayed unreachable through the retries. */
  private async write(ops: Operation[]): Promise<boolean> {
    if (isBatchable(ops[0] as Operation)) {
      const batches = mergeBatchable(ops as BatchableOperation[], this.options.maxBatchPoints);
      let next = 0;
      let unreachable = false;
      const worker = async () => {
        while (next < batches.length && !unreachable) {
          const batch = batches[next++] as RunBatch;
          if (!(await this.withRetry(() => this.applyBatch(batch)))) unreachable = true;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency, batches.length) }, worker));
      return !unreachable;
    }
    const op = ops[0] as Exclude<Operation, BatchableOperation>;
    return this.withRetry(() => this.applyOne(op));
  }

  private async applyBatch({ runId, batch }: RunBatch): Promise<void> {
    try {
      await this.store.logBatch(runId, batch);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      // Refused for good: report it, and keep the parts of the merged batch that are fine.
      await this.applyBatchPartsSeparately(runId, batch, error as Error);
    }
  }

  private async applyBatchPartsSeparately(runId: string, batch: RunBatch['batch'], cause: Error): Promise<void> {
    const parts = [{ params: batch.params }, { tags: batch.tags }, { metrics: batch.metrics }].filter((p) => Object.values(p)[0].length > 0);
    if (parts.length <= 1) {
      this.reportFailure(cause);
      return;
    }
    for (const part of parts) {
      try {
        await this.store.logBatch(runId, part);
      } catch (error) {
        if (isTransientDatabaseError(error)) throw error;
        this.reportFailure(error as Error);
      }
    }
  }

  private async applyOne(op: Exclude<Operation, BatchableOperation>): Promise<void> {
    try {
      await applySingle(this.store, op);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      this.reportFailure(error as Error);
    }
  }

  private reportFailure(error: Error): void {
    this.counters.failed += 1;
    this.onError(error);
  }

  private async withRetry(write: () => Promise<void>): Promise<boolean> {
    for (let attempt = 0; attempt < this.options.retryAttempts; attempt += 1) {
      try {
        await write();
        return true;
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        if (attempt + 1 < this.options.retryAttempts) await this.sleep(this.options.retryBaseMs * 2 ** attempt);
      }
    }
    return false;
  }

  private async spillQueue(): Promise<void> {
    while (this.pending() > 0) await this.spill(this.take());
  }

  private async spill(ops: Operation[]): Promise<void> {
    if (isBatchable(ops[0] as Operation)) {
      await this.journal.append(mergeBatchable(ops as BatchableOperation[], this.options.maxBatchPoints), []);
    } else {
      await this.journal.append([], ops as Exclude<Operation, BatchableOperation>[]);
    }
    this.counters.spilled += ops.length;
    this.settle(ops.length);
  }

  /** True once the database answers and the journal has been replayed into it. */
  private async tryReconnect(): Promise<boolean> {
    try {
      await this.store.ping();
      // Journals of dead clients are older than this one's: replay them first.
      if (!(await this.replayClaimed())) return false;
      await this.journal.replay((entry) => this.applyEntry(entry), (error) => this.reportFailure(error));
    } catch (error) {
      if (isTransientDatabaseError(error)) return false;
      throw error;
    }
    this.offline = false;
    this.onWarning('the database is back; the journal has been replayed');
    return true;
  }

  private async applyEntry(entry: JournalEntry): Promise<void> {
    const ok = await this.withRetry(() => (entry.type === 'batch' ? this.applyBatch(entry.value) : this.applyOne(entry.value)));
    if (!ok) throw Object.assign(new Error('the database went away during the journal replay'), { code: '08006' });
    this.counters.written += 1;
  }

  /** Replays journals claimed from dead clients; false if the database went away meanwhile. */
  private async replayClaimed(): Promise<boolean> {
    while (this.claimedJournals.length > 0) {
      const file = this.claimedJournals[0] as string;
      try {
        await this.journal.replayClaimed(file, (entry) => this.applyEntry(entry), (error) => this.reportFailure(error));
      } catch (error) {
        if (isTransientDatabaseError(error)) return false;
        throw error;
      }
      this.claimedJournals.shift();
      this.onWarning(`replayed ${file}, left by a client that stopped while the database was unreachable`);
    }
    return true;
  }
}

/** A started run: the client's logging calls with the run id filled in. */
export class RunHandle {
  constructor(
    private readonly client: TrackingClient,
    readonly run: RunRecord,
  ) {}

  get id(): string {
    return this.run.id;
  }

  logParams(params: Record<string, unknown>): void {
    this.client.logParams(this.id, params);
  }
  logParam(key: string, value: unknown): void {
    this.client.logParam(this.id, key, value);
  }
  setTags(tags: Record<string, string>): void {
    this.client.setTags(this.id, tags);
  }
  setTag(key: string, value: string): void {
    this.client.setTag(this.id, key, value);
  }
  logMetric(key: string, value: number, step: number, timestamp?: number): void {
    this.client.logMetric(this.id, key, value, step, timestamp);
  }
  logMetrics(values: Record<string, number>, step: number, timestamp?: number): void {
    this.client.logMetrics(this.id, values, step, timestamp);
  }
  logTaskResult(result: TaskResultInput): void {
    this.client.logTaskResult(this.id, result);
  }
  logConfusionMatrix(matrix: ConfusionMatrixInput): void {
    this.client.logConfusionMatrix(this.id, matrix);
  }
  logPredictions(predictions: readonly CasePredictionInput[]): void {
    this.client.logPredictions(this.id, predictions);
  }
  logRocCurve(curve: RocCurveInput): void {
    this.client.logRocCurve(this.id, curve);
  }
  logArtifact(file: string, options?: LogArtifactOptions): Promise<LoggedArtifact> {
    return this.client.logArtifact(this.id, file, options);
  }
  logArtifactBytes(path: string, data: Uint8Array, options?: Omit<LogArtifactOptions, 'path'>): LoggedArtifact {
    return this.client.logArtifactBytes(this.id, path, data, options);
  }
  deleteArtifacts(paths: readonly string[]): void {
    this.client.deleteArtifacts(this.id, paths);
  }
  fetchArtifact(path: string, toFile?: string): Promise<FetchedArtifact> {
    return this.client.fetchArtifact(this.id, path, toFile);
  }
  heartbeat(): void {
    this.client.heartbeat(this.id);
  }
  end(status: TerminalRunStatus, error?: string): Promise<void> {
    return this.client.endRun(this.id, status, error);
  }
}
