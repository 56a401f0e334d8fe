// Training a stored run in this process (`train --resume`, `rerun --here`) while the queue also
// holds a job for it would train it twice: a worker may claim the job at any moment, or already
// trains it. So such a run is refused while its job waits or runs. With --take-over a waiting job
// is cancelled first (atomically: if a worker claims it in the same instant, the cancel does
// nothing and the run is refused); a job a worker runs is never taken over.
import { DEFAULT_HEARTBEAT_INTERVAL_MS, type RunRecord, type TrackingDatabase } from '@ovus/tracking';
import { createJobQueue, type RunJobStatus } from '@ovus/jobs';
import { CliError, EXIT_CODES } from '../cli/errors';
import { formatDuration } from '../progress';

const WAITING = new Set<RunJobStatus['state']>(['created', 'retry']);

export interface QueueGuardOptions {
  /** Cancel a waiting job of the run and train it here. */
  takeOver: boolean;
  /** The flag that asks for it, named in messages (e.g. `--take-over`). */
  takeOverFlag: string;
  log: (line: string) => void;
  now?: () => number;
}

/**
 * Resolves when this process may train the run — `cancelledJob` true when it took a waiting job
 * away from the queue (so no worker's attempt holds the run) — or throws a CliError (exit 3) saying
 * why not, and what to do.
 */
export async function claimRunFromQueue(database: TrackingDatabase, runId: string, options: QueueGuardOptions): Promise<{ cancelledJob: boolean }> {
  // An unknown or finished run has no business with the queue; executeRun says what is wrong with it.
  const stored = await database.runs.get(runId).catch(() => null);
  if (stored === null || stored.status === 'finished') return { cancelledJob: false };
  const queue = await createJobQueue(database.url);
  try {
    let job = await queue.getRunJob(runId);
    if (job === null || !(WAITING.has(job.state) || job.state === 'active')) return { cancelledJob: false };
    if (WAITING.has(job.state) && options.takeOver) {
      const cancelled = await queue.cancelRunJobs([runId]);
      if (cancelled.length === 1) {
        options.log(`cancelled the queued job of run ${runId}; training it here`);
        return { cancelledJob: true };
      }
      job = await queue.getRunJob(runId); // a worker claimed it meanwhile
      if (job === null || job.state !== 'active') return { cancelledJob: false };
    }
    const run = await database.runs.get(runId);
    throw new CliError(refusal(runId, job, run, options), EXIT_CODES.refused);
  } finally {
    await queue.stop();
  }
}

function refusal(runId: string, job: RunJobStatus, run: RunRecord | null, options: QueueGuardOptions): string {
  const now = options.now?.() ?? Date.now();
  const attempts = `attempt ${job.attempt} of ${job.retryLimit + 1}`;
  if (job.state === 'created') {
    return `Run ${runId} is queued for workers (${attempts}); a worker will train it. To train it here instead, add ${options.takeOverFlag}: it cancels the queued job first.`;
  }
  if (job.state === 'retry') {
    // A waiting retry still counts the attempt that ended (pg-boss counts a retry when it is claimed).
    const why = typeof job.output?.message === 'string' ? `: ${job.output.message}` : '';
    return (
      `Run ${runId} is waiting in the queue to be retried (${attempts} ended${why}); a worker will train it. ` +
      `To train it here instead, add ${options.takeOverFlag}: it cancels the queued job first.`
    );
  }
  const host = run?.host ?? 'an unknown host';
  const since = job.startedOn ? `, claimed ${formatDuration(now - job.startedOn.getTime())} ago` : '';
  const heartbeatAge = run?.heartbeatAt === null || run?.heartbeatAt === undefined ? null : now - run.heartbeatAt;
  const heard = heartbeatAge === null ? '' : `, last heartbeat ${formatDuration(heartbeatAge)} ago`;
  const silent =
    heartbeatAge !== null && heartbeatAge > 3 * DEFAULT_HEARTBEAT_INTERVAL_MS
      ? ' Its heartbeat is old, so that worker has probably died: the queue gives the run to another worker when its lease runs out (worker --lease-seconds, default 120 s), and it can be taken over while it waits for that retry.'
      : '';
  return (
    `Run ${runId} is being trained by a worker on ${host} (${attempts}${since}${heard}); training it here too would train it twice. ` +
    `Wait for it to finish, or stop that worker (SIGTERM hands the run back to the queue) and then use ${options.takeOverFlag}.${silent}`
  );
}
