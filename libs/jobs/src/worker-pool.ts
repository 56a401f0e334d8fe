// Worker slots that claim run jobs from pg-boss one at a time, keep their lease alive while the
// handler runs, and report the outcome back to pg-boss. We claim with `fetch` rather than
// `boss.work` because pg-boss 10's `work` races each handler against the job's expiration and
// then fails the job while the handler keeps running: with leases that would abandon healthy
// long runs, and a second worker could train the same run concurrently.
import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import { forgoRetries, renewLease, type LeaseHolder } from './lease';
import type { ResolvedJobQueueOptions } from './options';
import { runJobDataSchema, type RunJobHandler } from './run-job';

export type WorkerEvent =
  | { kind: 'claimed'; runId: string; attempt: number; host: string }
  | { kind: 'completed'; runId: string; attempt: number; durationMs: number }
  | { kind: 'failed'; runId: string; attempt: number; error: string; willRetry: boolean }
  | { kind: 'lease-lost'; runId: string; attempt: number; reason: string }
  | { kind: 'error'; error: Error };

export interface WorkOptions {
  /** Jobs this process runs at the same time (one training run each). */
  concurrency?: number;
  /** Recorded with each job's outcome and passed to the handler. */
  host: string;
  /** Return once no job is queued, waiting for retry or running anywhere (for demos and CI). */
  untilIdle?: boolean;
  onEvent?: (event: WorkerEvent) => void;
}

interface RunningJob {
  controller: AbortController;
  settled: Promise<void>;
}

export class LeaseLostError extends Error {
  constructor(runId: string, reason: string) {
    super(`Run ${runId}: this worker no longer holds the job (${reason}); another worker retries it.`);
    this.name = 'LeaseLostError';
  }
}

export class WorkerStoppingError extends Error {
  constructor(host: string) {
    super(`The worker on ${host} was stopped before the run finished; the queue retries the run while it has attempts left.`);
    this.name = 'WorkerStoppingError';
  }
}

export class WorkerPool {
  private stopping = false;
  private readonly wake = new AbortController();
  private readonly running = new Set<RunningJob>();
  private readonly emit: (event: WorkerEvent) => void;

  constructor(
    private readonly boss: PgBoss,
    private readonly options: ResolvedJobQueueOptions,
    private readonly handler: RunJobHandler,
    private readonly work: WorkOptions,
  ) {
    this.emit = work.onEvent ?? (() => undefined);
  }

  report(error: Error): void {
    this.emit({ kind: 'error', error });
  }

  /** Runs the slots; resolves when they have all stopped. */
  async run(): Promise<void> {
    const concurrency = this.work.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`Worker concurrency must be a whole number of at least 1; got ${concurrency}.`);
    }
    await Promise.all(Array.from({ length: concurrency }, () => this.slot()));
  }

  /**
   * Stops claiming jobs, gives running handlers graceMs to finish, then aborts them. Aborted runs
   * are failed back to pg-boss, which retries them elsewhere (this counts as an attempt).
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    const all = Promise.all([...this.running].map((r) => r.settled));
    if (graceMs > 0) await Promise.race([all, sleep(graceMs)]);
    for (const job of this.running) job.controller.abort(new WorkerStoppingError(this.work.host));
    await all;
  }

  private async slot(): Promise<void> {
    while (!this.stopping) {
      let claimed: PgBoss.JobWithMetadata<unknown> | undefined;
      try {
        [claimed] = await this.boss.fetch<unknown>(this.options.queueName, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        this.emit({ kind: 'error', error: asError(error) });
      }
      if (claimed) {
        await this.track(claimed);
        continue;
      }
      if (this.work.untilIdle && (await this.queueIsIdle())) return;
      await sleep(this.options.pollingIntervalSeconds * 1000, undefined, { signal: this.wake.signal }).catch(
        () => undefined,
      );
    }
  }

  private async queueIsIdle(): Promise<boolean> {
    try {
      // Counts created, retry and active jobs: a run still training elsewhere may yet be retried.
      return (await this.boss.getQueueSize(this.options.queueName, { before: 'completed' })) === 0;
    } catch (error) {
      this.emit({ kind: 'error', error: asError(error) });
      return false;
    }
  }

  private async track(job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    const controller = new AbortController();
    const entry: RunningJob = { controller, settled: this.execute(job, controller) };
    this.running.add(entry);
    try {
      await entry.settled;
    } finally {
      this.running.delete(entry);
    }
  }

  private async execute(job: PgBoss.JobWithMetadata<unknown>, controller: AbortController): Promise<void> {
    const { queueName, leaseSeconds, heartbeatSeconds, schema } = this.options;
    const attempt = job.retryCount + 1;
    const parsed = runJobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      // Not ours to interpret: fail it for good rather than retrying a payload that cannot change.
      await this.boss.fail(queueName, job.id, { message: `Job ${job.id} has an invalid payload: ${parsed.error.message}` });
      this.emit({ kind: 'failed', runId: job.id, attempt, error: 'invalid payload', willRetry: attempt <= job.retryLimit });
      return;
    }
    const { runId, sweepId } = parsed.data;
    const lease: LeaseHolder = { queueName, jobId: job.id, retryCount: job.retryCount };
    const db = this.boss.getDb();
    const started = Date.now();
    let lostReason: string | null = null;
    const loseLease = (reason: string) => {
      if (lostReason !== null) return;
      lostReason = reason;
      controller.abort(new LeaseLostError(runId, reason));
    };

    // The lease starts at leaseSeconds from the claim; renew well before it runs out.
    const heartbeatStop = new AbortController();
    const heartbeat = (async () => {
      let lastRenewed = started;
      while (!heartbeatStop.signal.aborted) {
        const awake = await sleep(heartbeatSeconds * 1000, true, { signal: heartbeatStop.signal }).catch(() => false);
        if (!awake) return;
        try {
          if (await renewLease(db, schema, lease, leaseSeconds)) lastRenewed = Date.now();
          else return loseLease('its lease expired and the job was handed back to the queue');
        } catch (error) {
          this.emit({ kind: 'error', error: asError(error) });
          if (Date.now() - lastRenewed > leaseSeconds * 1000) {
            return loseLease(`the lease could not be renewed for ${leaseSeconds} s`);
          }
        }
      }
    })();

    this.emit({ kind: 'claimed', runId, attempt, host: this.work.host });
    let outcome: { ok: true; output: Record<string, unknown> } | { ok: false; error: Error };
    try {
      const output = await this.handler({ runId, sweepId, jobId: job.id, attempt, host: this.work.host, signal: controller.signal });
      outcome = { ok: true, output: output ?? {} };
    } catch (error) {
      outcome = { ok: false, error: controller.signal.aborted ? asError(controller.signal.reason) : asError(error) };
    }
    heartbeatStop.abort();
    await heartbeat;

    // Report only while this attempt still holds the job: a final renewal both checks that and
    // keeps maintenance from expiring the job between the check and the report.
    if (lostReason === null && !(await renewLease(db, schema, lease, leaseSeconds).catch(() => false))) {
      loseLease('its lease expired before the outcome could be reported');
    }
    if (lostReason !== null) {
      this.emit({ kind: 'lease-lost', runId, attempt, reason: lostReason });
      return;
    }
    try {
      if (outcome.ok) {
        await this.boss.complete(queueName, job.id, { ...outcome.output, host: this.work.host });
        this.emit({ kind: 'completed', runId, attempt, durationMs: Date.now() - started });
      } else {
        const { name, message, stack } = outcome.error;
        const permanent = isPermanentFailure(outcome.error) && (await forgoRetries(db, schema, lease));
        await this.boss.fail(queueName, job.id, { name, message, stack, host: this.work.host, ...(permanent ? { retryable: false } : {}) });
        this.emit({ kind: 'failed', runId, attempt, error: message, willRetry: !permanent && attempt <= job.retryLimit });
      }
    } catch (error) {
      // The lease still runs out, so maintenance retries the job: report and keep the slot alive.
      this.emit({ kind: 'error', error: asError(error) });
    }
  }
}

/**
 * A handler error marked `retryable: false` fails its job for good: retrying would fail the same
 * way (e.g. a run that does not fit in memory with its settings).
 */
export function isPermanentFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
