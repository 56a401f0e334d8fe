// The durable queue of training runs: one pg-boss job per run, keyed by the run id.
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import { cancelWaitingJobs } from './cancel-waiting';
import { resolveJobQueueOptions, type JobQueueOptions, type ResolvedJobQueueOptions } from './options';
import { parseRunIds, runJobDataSchema, type RunJobHandler, type RunJobState, type RunJobStatus } from './run-job';
import { WorkerPool, type WorkOptions } from './worker-pool';

export interface EnqueueResult {
  /** Runs that got a new job now. */
  queued: string[];
  /** Runs the queue already knows (queued, running, finished or failed): left as they are. */
  alreadyKnown: string[];
}

export type RequeueResult = 'queued' | 'already-queued';

export interface JobQueue {
  readonly options: ResolvedJobQueueOptions;
  /** One job per run; a run the queue already knows is not queued again. */
  enqueueRunJobs(sweepId: string | null, runIds: readonly string[]): Promise<EnqueueResult>;
  /** Queues a run again after it ended (failed, completed or cancelled); for `rerun`. */
  requeueRun(runId: string, sweepId?: string | null): Promise<RequeueResult>;
  getRunJob(runId: string): Promise<RunJobStatus | null>;
  /** Jobs waiting (created or retry) and running (active). */
  pendingCount(): Promise<number>;
  /**
   * Cancels the jobs of these runs that are waiting (queued, or waiting for a retry), atomically:
   * a job a worker is running — or claims while this runs — is left alone. Returns the run ids
   * whose job it cancelled.
   */
  cancelRunJobs(runIds: readonly string[]): Promise<string[]>;
  /**
   * Works on jobs until `stop()` (or, with untilIdle, until nothing is left). Resolves when the
   * worker slots have stopped.
   */
  work(handler: RunJobHandler, options?: Partial<WorkOptions>): Promise<void>;
  /** Stops working (running handlers get graceMs, then are aborted) and closes the connections. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export async function createJobQueue(databaseUrl: string, options: JobQueueOptions = {}): Promise<JobQueue> {
  const resolved = resolveJobQueueOptions(options);
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: resolved.schema,
    max: resolved.maxConnections,
    application_name: 'ovus-jobs',
    // We use no cron schedules; the timekeeper would only add polling and clock-skew warnings.
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: resolved.maintenanceIntervalSeconds,
    deleteAfterDays: resolved.deleteAfterDays,
  });
  const queue = new PgBossJobQueue(boss, resolved);
  // pg-boss reports background failures (maintenance, lost connections) as events; without a
  // listener Node would treat them as uncaught.
  boss.on('error', (error) => queue.reportBackgroundError(error));
  try {
    await boss.start();
    await boss.createQueue(resolved.queueName, {
      name: resolved.queueName,
      policy: 'standard',
      retentionMinutes: resolved.retentionDays * 24 * 60,
    } as PgBoss.Queue);
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new Error(
      `Could not open the job queue in PostgreSQL (${redact(databaseUrl)}): ${(error as Error).message}. ` +
        'Check DATABASE_URL and that the server is running.',
      { cause: error },
    );
  }
  return queue;
}

class PgBossJobQueue implements JobQueue {
  private readonly pools = new Set<WorkerPool>();
  private stopped = false;

  constructor(
    private readonly boss: PgBoss,
    readonly options: ResolvedJobQueueOptions,
  ) {}

  private get jobOptions(): PgBoss.SendOptions {
    return {
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      // The first lease; heartbeats extend it while the run trains.
      expireInSeconds: this.options.leaseSeconds,
    };
  }

  async enqueueRunJobs(sweepId: string | null, runIds: readonly string[]): Promise<EnqueueResult> {
    this.assertOpen();
    const ids = parseRunIds(runIds);
    const result: EnqueueResult = { queued: [], alreadyKnown: [] };
    for (const runId of ids) {
      // The job id is the run id; pg-boss inserts with ON CONFLICT DO NOTHING, so a run that is
      // still in the job table is never queued twice. Archived jobs live in another table, so
      // look there too.
      const known = await this.boss.getJobById(this.options.queueName, runId, { includeArchive: true });
      const id = known ? null : await this.send(runId, sweepId);
      (id ? result.queued : result.alreadyKnown).push(runId);
    }
    return result;
  }

  async requeueRun(runId: string, sweepId: string | null = null): Promise<RequeueResult> {
    this.assertOpen();
    parseRunIds([runId]);
    const job = await this.boss.getJobById<unknown>(this.options.queueName, runId, { includeArchive: true });
    if (!job) {
      await this.send(runId, sweepId);
      return 'queued';
    }
    if (job.state === 'created' || job.state === 'retry' || job.state === 'active') return 'already-queued';
    const previous = runJobDataSchema.safeParse(job.data);
    const keepSweep = sweepId ?? (previous.success ? previous.data.sweepId : null);
    // Drop the finished job (an archived copy is not in the job table) and queue a fresh one,
    // so the run gets its full retry budget again.
    await this.boss.deleteJob(this.options.queueName, runId);
    await this.send(runId, keepSweep);
    return 'queued';
  }

  async getRunJob(runId: string): Promise<RunJobStatus | null> {
    this.assertOpen();
    const job = await this.boss.getJobById<unknown>(this.options.queueName, runId, { includeArchive: true });
    if (!job) return null;
    const data = runJobDataSchema.safeParse(job.data);
    return {
      runId,
      sweepId: data.success ? data.data.sweepId : null,
      state: job.state as RunJobState,
      attempt: job.retryCount + 1,
      retryLimit: job.retryLimit,
      startedOn: job.startedOn ?? null,
      completedOn: job.completedOn ?? null,
      output: (job.output as Record<string, unknown> | null) ?? null,
    };
  }

  async pendingCount(): Promise<number> {
    this.assertOpen();
    return this.boss.getQueueSize(this.options.queueName, { before: 'completed' });
  }

  async cancelRunJobs(runIds: readonly string[]): Promise<string[]> {
    this.assertOpen();
    const ids = parseRunIds(runIds);
    if (ids.length === 0) return [];
    const cancelled = new Set(await cancelWaitingJobs(this.boss.getDb(), this.options.schema, this.options.queueName, ids));
    return ids.filter((id) => cancelled.has(id));
  }

  async work(handler: RunJobHandler, options: Partial<WorkOptions> = {}): Promise<void> {
    this.assertOpen();
    const pool = new WorkerPool(this.boss, this.options, handler, { ...options, host: options.host ?? hostname() });
    this.pools.add(pool);
    try {
      await pool.run();
    } finally {
      this.pools.delete(pool);
    }
  }

  /** Workers show it through onEvent; a process that only enqueues gets a Node warning. */
  reportBackgroundError(error: Error): void {
    if (this.pools.size === 0) process.emitWarning(`Job queue: ${error.message}`, 'OvusJobQueueWarning');
    for (const pool of this.pools) pool.report(error);
  }

  async stop({ graceMs = 0 }: { graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.pools].map((p) => p.stop(graceMs)));
    await this.boss.stop({ graceful: true, wait: true, close: true, timeout: 1000 });
  }

  private assertOpen(): void {
    // pg-boss answers undefined once its pool is closed; say so instead of returning nonsense.
    if (this.stopped) throw new Error('This job queue was stopped; create a new one with createJobQueue().');
  }

  private async send(runId: string, sweepId: string | null): Promise<string | null> {
    return this.boss.send(this.options.queueName, { runId, sweepId }, { ...this.jobOptions, id: runId });
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
