// One worker process: claims runs from the queue one at a time and trains them until stopped
// (SIGTERM/SIGINT) or, with untilIdle, until nothing is left to do.
import { createJobQueue, type JobQueueOptions, type RunJobHandler } from '@ovus/jobs';
import { replayOrphanJournals } from '@ovus/tracking';
import { CliError, EXIT_CODES } from '../cli/errors';
import type { BackendRequest } from '@ovus/ml-engine';
import type { CliIo } from '../cli/io';
import type { ProgressDisplay } from '../progress';
import { EngineCrashError } from '../runtime/engine-crash';
import { createRunJobHandler, type DatabaseHandle } from '../runtime/services';
import { describeWorkerEvent } from './describe-event';
import { startRunMaintenance } from './run-maintenance';

export interface RunWorkerOptions {
  database: DatabaseHandle;
  host: string;
  backend: BackendRequest;
  untilIdle: boolean;
  graceSeconds: number;
  queue: JobQueueOptions;
  io: CliIo;
  display: ProgressDisplay;
  gitCommit?: string;
  /** How often runs report that they are alive; runs silent for 3× this are marked stale. */
  heartbeatIntervalMs: number;
}

export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { io, host } = options;
  const log = (line: string) => io.err(`worker ${host}: ${line}\n`);
  // Before claiming anything: a worker that cannot train must not take runs from others.
  const handler = await createRunJobHandler(options.database, options.display, {
    backend: options.backend,
    host,
    log,
    gitCommit: options.gitCommit,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
  });
  const queue = await createJobQueue(options.database.url, options.queue);
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal} received — no new runs; the current run gets ${options.graceSeconds} s, then returns to the queue`);
    void queue.stop({ graceMs: options.graceSeconds * 1000 });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Runs whose process died show as stale (the dashboard's "running" list stays honest) until a
  // worker picks their job up again; bytes of deleted runs are collected.
  const { database } = options;
  const maintenance = startRunMaintenance({
    database,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    log,
    replayJournals: async () => {
      await database.recovery; // the replay started at open goes first
      return replayOrphanJournals({ store: database.store, journalDir: database.journalDir, onWarning: log, onError: (e) => log(e.message) });
    },
  });
  // A run that broke the engine (the wasm heap ran out) leaves this process unable to train: once
  // that run is reported failed, claim nothing more and exit for a fresh process.
  let engineCrash: EngineCrashError | null = null;
  const guarded: RunJobHandler = async (job) => {
    try {
      return await handler(job);
    } catch (error) {
      if (error instanceof EngineCrashError) engineCrash = error;
      throw error;
    }
  };
  try {
    log(`waiting for runs${options.untilIdle ? ' (until the queue is empty)' : ''}`);
    await queue.work(guarded, {
      concurrency: 1,
      host,
      untilIdle: options.untilIdle,
      onEvent: (event) => {
        log(describeWorkerEvent(event));
        if (engineCrash && event.kind === 'failed') void queue.stop();
      },
    });
    if (engineCrash) {
      throw new CliError(
        `worker ${host}: the training engine of this process cannot be used any more (${(engineCrash as EngineCrashError).message}); ` +
          'stopped so that it can start afresh (worker processes started with --concurrency 2 or more restart by themselves).',
        EXIT_CODES.engineRestart,
      );
    }
  } finally {
    await maintenance.stop();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await queue.stop();
    options.display.close();
  }
}
