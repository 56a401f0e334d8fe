// `count` workers on this machine: in this process when it is one, else as child processes of
// this CLI (one training process per core on wasm). Used by `worker` and by `demo`.
import type { BackendRequest } from '@ovus/ml-engine';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import type { ProgressDisplay } from '../progress';
import type { DatabaseHandle } from '../runtime/services';
import { startProcessPool } from './process-pool';
import { runWorker } from './run-worker';

/** The queue timings a worker may set (see @ovus/jobs); each has a command-line option. */
export interface WorkerQueueTimings {
  leaseSeconds: number;
  pollingIntervalSeconds?: number;
  maintenanceIntervalSeconds?: number;
  retryDelaySeconds?: number;
}

export interface RunWorkersOptions {
  count: number;
  database: DatabaseHandle;
  host: string;
  backend: BackendRequest;
  untilIdle: boolean;
  graceSeconds: number;
  queue: WorkerQueueTimings;
  /** How often runs report that they are alive; workers mark runs silent for 3× this stale. */
  heartbeatSeconds: number;
  context: CliContext;
  display: () => ProgressDisplay;
}

function queueArgs(queue: WorkerQueueTimings): string[] {
  const args = ['--lease-seconds', String(queue.leaseSeconds)];
  if (queue.pollingIntervalSeconds !== undefined) args.push('--poll-seconds', String(queue.pollingIntervalSeconds));
  if (queue.maintenanceIntervalSeconds !== undefined) args.push('--maintenance-seconds', String(queue.maintenanceIntervalSeconds));
  if (queue.retryDelaySeconds !== undefined) args.push('--retry-delay-seconds', String(queue.retryDelaySeconds));
  return args;
}

export async function runWorkers(options: RunWorkersOptions): Promise<void> {
  const { count, context } = options;
  if (count === 1) {
    await runWorker({
      ...options,
      io: context.io,
      display: options.display(),
      gitCommit: context.env().OVUS_GIT_COMMIT,
      heartbeatIntervalMs: options.heartbeatSeconds * 1000,
    });
    return;
  }
  context.io.err(`worker ${options.host}: starting ${count} worker processes\n`);
  const pool = startProcessPool({
    count,
    write: (line) => context.io.out(line),
    finalExitCodes: [EXIT_CODES.badConfig],
    freshStartExitCodes: [EXIT_CODES.engineRestart],
    command: (i) => ({
      file: context.self.file,
      args: [
        ...context.self.args,
        'worker',
        '--concurrency', '1',
        '--backend', options.backend,
        '--host', `${options.host}/${i + 1}`,
        '--grace-seconds', String(options.graceSeconds),
        '--heartbeat-seconds', String(options.heartbeatSeconds),
        ...queueArgs(options.queue),
        ...(options.untilIdle ? ['--until-idle'] : []),
      ],
      // Children write to a pipe: plain progress lines, not bars.
      env: { ...process.env, OVUS_PROGRESS: 'plain', DATABASE_URL: options.database.url },
    }),
  });
  const forward = (signal: NodeJS.Signals) => pool.stop(signal === 'SIGINT' ? 'SIGTERM' : signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  try {
    if ((await pool.done) !== 0) throw new CliError('At least one worker process ended with an error; see its lines above.');
  } finally {
    process.off('SIGTERM', forward);
    process.off('SIGINT', forward);
  }
}
