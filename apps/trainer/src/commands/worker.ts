// ovus worker: train queued runs until stopped. --concurrency N starts N worker processes.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context';
import { CliError } from '../cli/errors';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@ovus/tracking';
import { concurrency, nonNegativeInteger, nonNegativeNumber, pollInterval, positiveInteger, positiveNumber } from '../cli/option-parsers';
import { openDatabase } from '../runtime/services';
import { runWorkers } from '../worker/run-workers';
import { progressDisplayFor } from '../cli/progress-for';
import { resolveConcurrency } from '../worker/resolve-concurrency';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

export interface WorkerOptions {
  concurrency: number | 'auto';
  backend: (typeof BACKENDS)[number];
  host?: string;
  untilIdle?: boolean;
  graceSeconds: number;
  leaseSeconds: number;
  pollSeconds?: number;
  maintenanceSeconds?: number;
  retryDelaySeconds?: number;
  heartbeatSeconds: number;
}

export function registerWorkerCommand(program: Command, context: CliContext): void {
  program
    .command('worker')
    .description('claim queued runs and train them (any number of workers on any number of machines)')
    .option('--concurrency <n|auto>', "training processes on this machine; 'auto': one per core on wasm/cpu, one with native TensorFlow", concurrency, 'auto')
    .option('--backend <name>', `tfjs backend: ${BACKENDS.join(', ')}`, 'auto')
    .option('--host <name>', 'name recorded on the runs (default: $OVUS_HOST or the hostname)')
    .option('--until-idle', 'exit once no run is queued, waiting for a retry or running anywhere')
    .option('--grace-seconds <s>', 'on SIGTERM, time the current run gets before it returns to the queue', nonNegativeNumber, 30)
    .option('--lease-seconds <s>', 'a run whose worker is silent this long is retried elsewhere', positiveInteger, 120)
    .option('--poll-seconds <s>', 'how often an idle worker asks for a run (at least 0.5; default 2)', pollInterval)
    .option('--maintenance-seconds <s>', 'how often expired leases are looked for (default 30)', positiveInteger)
    .option('--retry-delay-seconds <s>', 'wait before a failed or abandoned run is retried (default 10)', nonNegativeInteger)
    .option(
      '--heartbeat-seconds <s>',
      'how often a run reports that it is alive; workers mark runs silent for 3× this as stale (use one value for all workers)',
      positiveNumber,
      DEFAULT_HEARTBEAT_INTERVAL_MS / 1000,
    )
    .action(async (options: WorkerOptions) => {
      if (!BACKENDS.includes(options.backend)) {
        throw new CliError(`--backend ${options.backend} is not a backend; use one of ${BACKENDS.join(', ')}.`, 2);
      }
      const env = context.env();
      const host = options.host ?? env.OVUS_HOST ?? hostname();
      const database = await openDatabase(env);
      try {
        await runWorkers({
          count: await resolveConcurrency(options.concurrency, options.backend),
          database,
          host,
          backend: options.backend,
          untilIdle: options.untilIdle ?? false,
          graceSeconds: options.graceSeconds,
          heartbeatSeconds: options.heartbeatSeconds,
          queue: {
            leaseSeconds: options.leaseSeconds,
            pollingIntervalSeconds: options.pollSeconds,
            maintenanceIntervalSeconds: options.maintenanceSeconds,
            retryDelaySeconds: options.retryDelaySeconds,
          },
          context,
          display: () => progressDisplayFor(context),
        });
      } finally {
        await database.close();
      }
    });
}
