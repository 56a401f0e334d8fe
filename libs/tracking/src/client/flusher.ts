// The client's background half: a queue of validated operations, merged into large idempotent
// writes, retried with backoff, spilled to the journal while the database is unreachable and
// replayed from it once the database answers again.
//
// Keeping the process alive: Node exits when nothing but unref'd timers is left, and an `await`
// that never settles then ends the process with code 13 and no message. So every timer this
// flusher waits on is ref'd while it holds operations in memory (queued, or taken and not yet
// written or journalled) or someone awaits a flush; only the "is the database back?" probe,
// waiting with everything already in the journal, lets the process end.
import type { TrackingStore } from '../store/tracking-store';
import { Journal, type JournalEntry } from './journal';
import { applySingle, isBatchable, mergeBatchable, weight, type BatchableOperation, type Operation, type RunBatch } from './operations';
import { isTransientDatabaseError } from './transient';

export interface FlusherOptions {
  flushIntervalMs: number;
  maxBatchPoints: number;
  concurrency: number;
  retryAttempts: number;
  retryBaseMs: number;
  maxProbeIntervalMs: number;
}

export interface FlusherCounters {
  written: number;
  spilled: number;
  failed: number;
}

type SingleOperation = Exclude<Operation, BatchableOperation>;

export class Flusher {
  private queue: Operation[] = [];
  private head = 0;
  private enqueued = 0;
  private settled = 0;
  /** Operations taken off the queue and not yet written or journalled. */
  private inHand = 0;
  private readonly waiters: { target: number; resolve: () => void }[] = [];
  private pumping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private offline = false;
  private stopped = false;
  readonly counters: FlusherCounters = { written: 0, spilled: 0, failed: 0 };

  constructor(
    private readonly store: TrackingStore,
    private readonly journal: Journal,
    private readonly options: FlusherOptions,
    private readonly onFailure: (error: Error) => void,
    private readonly onWarning: (message: string) => void,
  ) {}

  get isOffline(): boolean {
    return this.offline;
  }

  /** Operations in memory: queued, or being written. */
  pending(): number {
    return this.queue.length - this.head + this.inHand;
  }

  push(op: Operation): void {
    this.queue.push(op);
    this.enqueued += 1;
    if (this.queued() >= this.options.maxBatchPoints * this.options.concurrency) this.kick(true);
    else this.kick();
  }

  /** Resolves when everything pushed before the call is in the database or in the journal. */
  async flush(): Promise<void> {
    const target = this.enqueued;
    if (this.settled >= target) return;
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.kick(true);
    // Offline, the pump may be waiting to probe the database: spill now instead.
    if (this.offline) this.wake?.();
    await done;
  }

  /** Flushes (into the journal if need be), then stops the background loop. */
  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    await this.pumping;
  }

  private queued(): number {
    return this.queue.length - this.head;
  }

  /** Whether something would be lost, or someone left waiting, if the process ended now. */
  private holdsData(): boolean {
    return this.pending() > 0 || this.waiters.length > 0 || this.stopped;
  }

  /** Starts the pump now (`now`) or after the batching interval. */
  kick(now = false): void {
    if (this.pumping || this.stopped) return;
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.pumping = this.pump()
        .catch((error: Error) => {
          // Only the journal's file system can fail here (e.g. a full disk): nothing more can be saved.
          const lost = this.pending();
          this.head = this.queue.length;
          this.inHand = 0;
          this.settle(lost);
          this.fail(new Error(`the tracking flusher failed (${error.message}); ${lost} queued operations were lost`));
        })
        .finally(() => {
          this.pumping = null;
          if (!this.stopped && (this.queued() > 0 || this.waiters.length > 0)) this.kick(true);
        });
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick(true);
      }, this.options.flushIntervalMs);
      // Queued points keep the process alive until they are written (see the header).
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
    this.inHand += ops.length;
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

  private done(ops: readonly Operation[], how: 'written' | 'spilled'): void {
    this.inHand -= ops.length;
    this.counters[how] += ops.length;
    this.settle(ops.length);
  }

  /** Waits `ms`, or less if woken (flush while offline, stop). Ref'd while data is at stake. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      if (!this.holdsData()) timer.unref();
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
    let probeDelay = this.options.retryBaseMs;
    while (this.queued() > 0 || (this.offline && this.journal.pending > 0 && !this.stopped)) {
      if (this.offline) {
        await this.spillQueue();
        if (this.stopped) return;
        if (await this.tryReconnect()) {
          probeDelay = this.options.retryBaseMs;
          continue;
        }
        // stop() may have come while the probe was out: it awaits this loop, so end it now.
        if (this.stopped) return;
        // Nothing is waiting on us but the database: wait, then look again.
        await this.sleep(probeDelay);
        probeDelay = Math.min(probeDelay * 2, this.options.maxProbeIntervalMs);
        continue;
      }
      const ops = this.take();
      if (await this.write(ops)) {
        this.done(ops, 'written');
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
    const op = ops[0] as SingleOperation;
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
    const parts = [{ params: batch.params }, { tags: batch.tags }, { metrics: batch.metrics }, { predictions: batch.predictions }].filter(
      (p) => Object.values(p)[0].length > 0,
    );
    if (parts.length <= 1) {
      this.fail(cause);
      return;
    }
    for (const part of parts) {
      try {
        await this.store.logBatch(runId, part);
      } catch (error) {
        if (isTransientDatabaseError(error)) throw error;
        this.fail(error as Error);
      }
    }
  }

  private async applyOne(op: SingleOperation): Promise<void> {
    try {
      await applySingle(this.store, op);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      this.fail(error as Error);
    }
  }

  private fail(error: Error): void {
    this.counters.failed += 1;
    this.onFailure(error);
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
    while (this.queued() > 0) await this.spill(this.take());
  }

  private async spill(ops: Operation[]): Promise<void> {
    if (isBatchable(ops[0] as Operation)) {
      await this.journal.append(mergeBatchable(ops as BatchableOperation[], this.options.maxBatchPoints), []);
    } else {
      await this.journal.append([], ops as SingleOperation[]);
    }
    this.done(ops, 'spilled');
  }

  /** True once the database answers and the journal has been replayed into it. */
  private async tryReconnect(): Promise<boolean> {
    try {
      await this.store.ping();
      await this.journal.replay((entry) => this.applyEntry(entry), (error) => this.fail(error));
    } catch (error) {
      if (isTransientDatabaseError(error)) return false;
      throw error;
    }
    this.offline = false;
    this.onWarning('the database is back; the journal has been replayed');
    return true;
  }

  /** Applies one journal entry with the usual retries (also used to replay other clients' journals). */
  async applyEntry(entry: JournalEntry): Promise<void> {
    const ok = await this.withRetry(() => (entry.type === 'batch' ? this.applyBatch(entry.value) : this.applyOne(entry.value)));
    if (!ok) throw Object.assign(new Error('the database went away during the journal replay'), { code: '08006' });
    this.counters.written += 1;
  }
}
