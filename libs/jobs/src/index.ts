export { createJobQueue, type JobQueue, type EnqueueResult, type RequeueResult } from './job-queue';
export { resolveJobQueueOptions, type JobQueueOptions, type ResolvedJobQueueOptions } from './options';
export type { RunJobContext, RunJobData, RunJobHandler, RunJobState, RunJobStatus } from './run-job';
export { isPermanentFailure, LeaseLostError, WorkerStoppingError, type WorkOptions, type WorkerEvent } from './worker-pool';
