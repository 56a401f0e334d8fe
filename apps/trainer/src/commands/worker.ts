// ovus worker: train queued runs until stopped. --concurrency N starts N worker processes.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context';
import { CliError } from '../cli/errors';
import { concurrency, nonNegativeNumber, positiveInteger } from '../cli/option-parsers';
import { openDatabase } from '../runtime/services';
import { startProcessPool } from '../worker/process-pool';
import { runWorker } from '../worker/run-worker';
import { progressDisplayFor } from './progress-for';
import { resolveConcurrency } from './resolve-concurrency';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

export interface WorkerOptions {
  concurrency: number | 'auto';
  backend: (typeof BACKENDS)[number];
  host?: string;
  untilIdle?: boolean;
  graceSeconds: number;
  leaseSeconds: number;
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
    .action(async (options: WorkerOptions) => {
      if (!BACKENDS.includes(options.backend)) {
        throw new CliError(`--backend ${options.backend} is not a backend; use one of ${BACKENDS.join(', ')}.`, 2);
      }
      const env = context.env();
      const host = options.host ?? env.OVUS_HOST ?? hostname();
      const database = await openDatabase(env);
      try {
        const count = await resolveConcurrency(options.concurrency, options.backend);
        if (count === 1) {
          await runWorker({
            database,
            host,
            untilIdle: options.untilIdle ?? false,
            graceSeconds: options.graceSeconds,
            queue: { leaseSeconds: options.leaseSeconds },
            io: context.io,
            display: progressDisplayFor(context),
          });
          return;
        }
        context.io.err(`worker ${host}: starting ${count} worker processes\n`);
        const pool = startProcessPool({
          count,
          write: (line) => context.io.out(line),
          command: (i) => ({
            file: context.self.file,
            args: [
              ...context.self.args,
              'worker',
              '--concurrency', '1',
              '--backend', options.backend,
              '--host', `${host}/${i + 1}`,
              '--grace-seconds', String(options.graceSeconds),
              '--lease-seconds', String(options.leaseSeconds),
              ...(options.untilIdle ? ['--until-idle'] : []),
            ],
            // Children write to a pipe: plain progress lines, not bars.
            env: { ...process.env, OVUS_PROGRESS: 'plain', DATABASE_URL: database.url },
          }),
        });
        const forward = (signal: NodeJS.Signals) => pool.stop(signal === 'SIGINT' ? 'SIGTERM' : signal);
        process.on('SIGTERM', forward);
        process.on('SIGINT', forward);
        try {
          const code = await pool.done;
          if (code !== 0) throw new CliError('At least one worker process ended with an error; see its lines above.');
        } finally {
          process.off('SIGTERM', forward);
          process.off('SIGINT', forward);
        }
      } finally {
        await database.close();
      }
    });
}
