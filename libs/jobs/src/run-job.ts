// What a queued training-run job carries and how its state is reported.
import { z } from 'zod';

export const runJobDataSchema = z.object({
  runId: z.uuid(),
  sweepId: z.uuid().nullable(),
});

export type RunJobData = z.infer<typeof runJobDataSchema>;

/** pg-boss job states; a job only ends `failed` once its retries are used up. */
export type RunJobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface RunJobStatus {
  runId: string;
  sweepId: string | null;
  state: RunJobState;
  /**
   * 1 for the first try; grows each time the job is retried (after a failure or a lost worker).
   * A job waiting for its retry (state 'retry') still shows the attempt that ended: pg-boss counts
   * the retry when a worker claims it.
   */
  attempt: number;
  retryLimit: number;
  startedOn: Date | null;
  completedOn: Date | null;
  /** What the handler returned, or the error ({ message, ... }) of the last failed attempt. */
  output: Record<string, unknown> | null;
}

/** Everything a handler needs to run one job and to stop early when it must. */
export interface RunJobContext extends RunJobData {
  /** pg-boss job id; equal to runId, so a run is queued once. */
  jobId: string;
  attempt: number;
  /** Where this worker runs (recorded on the run by the caller). */
  host: string;
  /**
   * Aborted when the job must stop: the worker is shutting down, or its lease was lost (the job
   * was handed to another worker). Long loops must check it, or a run may train twice.
   */
  signal: AbortSignal;
}

export type RunJobHandler = (job: RunJobContext) => Promise<Record<string, unknown> | void>;

export function parseRunIds(runIds: readonly string[]): string[] {
  const bad = runIds.filter((id) => !z.uuid().safeParse(id).success);
  if (bad.length > 0) {
    throw new RangeError(
      `Run ids must be UUIDs (as created by the tracking store); got ${bad.slice(0, 3).map((b) => `'${b}'`).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}.`,
    );
  }
  return [...runIds];
}
