// Queue settings, validated once so a bad value fails at start-up with the setting's name.
import { z } from 'zod';

export const jobQueueOptionsSchema = z
  .object({
    /** pg-boss queue that holds one job per training run. */
    queueName: z.string().regex(/^[\w-]+$/).default('train-run'),
    /** PostgreSQL schema pg-boss creates its tables in. */
    schema: z.string().regex(/^[A-Za-z_]\w{0,49}$/).default('pgboss'),
    /**
     * How long a job stays claimed without a heartbeat. A worker that vanishes (killed, machine
     * lost) has its job retried about leaseSeconds + maintenanceIntervalSeconds later.
     */
    leaseSeconds: z.number().int().min(1).max(86_000).default(120),
    /** How often a running job renews its lease; default a quarter of the lease. */
    heartbeatSeconds: z.number().positive().optional(),
    /** How often pg-boss looks for expired leases (one instance per interval does the work). */
    maintenanceIntervalSeconds: z.number().int().min(1).default(30),
    /** How often an idle worker slot asks for a job (pg-boss minimum: 0.5 s). */
    pollingIntervalSeconds: z.number().min(0.5).default(2),
    /** Retries after the first attempt; a run that fails retryLimit + 1 times ends failed. */
    retryLimit: z.number().int().min(0).default(2),
    retryDelaySeconds: z.number().int().min(0).default(10),
    /** A queued job nobody picks up is dropped after this long (pg-boss default: 14 days). */
    retentionDays: z.number().int().min(1).default(60),
    /** Finished jobs are remembered this long, so a re-submitted sweep does not queue them again. */
    deleteAfterDays: z.number().int().min(1).default(90),
    /** Connections this process opens to PostgreSQL for the queue. */
    maxConnections: z.number().int().min(2).default(4),
  })
  .strict()
  .refine((o) => o.heartbeatSeconds === undefined || o.heartbeatSeconds < o.leaseSeconds, {
    message: 'heartbeatSeconds must be shorter than leaseSeconds, or the lease expires between heartbeats',
    path: ['heartbeatSeconds'],
  });

export type JobQueueOptions = z.input<typeof jobQueueOptionsSchema>;
export type ResolvedJobQueueOptions = z.output<typeof jobQueueOptionsSchema> & { heartbeatSeconds: number };

export function resolveJobQueueOptions(options: JobQueueOptions = {}): ResolvedJobQueueOptions {
  const parsed = jobQueueOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new RangeError(`Invalid job queue options — ${problems.join('; ')}`);
  }
  return { ...parsed.data, heartbeatSeconds: parsed.data.heartbeatSeconds ?? parsed.data.leaseSeconds / 4 };
}
