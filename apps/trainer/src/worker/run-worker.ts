// One worker process: claims runs from the queue one at a time and trains them until stopped
// (SIGTERM/SIGINT) or, with untilIdle, until nothing is left to do.
import { createJobQueue, type JobQueueOptions } from '@ovus/jobs';
import type { CliIo } from '../cli/io';
import type { ProgressDisplay } from '../progress';
import { createRunJobHandler, type DatabaseHandle } from '../runtime/services';
import { describeWorkerEvent } from './describe-event';

export interface RunWorkerOptions {
  database: DatabaseHandle;
  host: string;
  untilIdle: boolean;
  graceSeconds: number;
  queue: JobQueueOptions;
  io: CliIo;
  display: ProgressDisplay;
}

export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { io, host } = options;
  // Before claiming anything: a worker that cannot train must not take runs from others.
  const handler = await createRunJobHandler(options.database, options.display);
  const queue = await createJobQueue(options.database.url, options.queue);
  const onSignal = (signal: NodeJS.Signals) => {
    io.err(`worker ${host}: ${signal} received — no new runs; the current run gets ${options.graceSeconds} s, then returns to the queue\n`);
    void queue.stop({ graceMs: options.graceSeconds * 1000 });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    io.err(`worker ${host}: waiting for runs${options.untilIdle ? ' (until the queue is empty)' : ''}\n`);
    await queue.work(handler, {
      concurrency: 1,
      host,
      untilIdle: options.untilIdle,
      onEvent: (event) => io.err(`worker ${host}: ${describeWorkerEvent(event)}\n`),
    });
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await queue.stop();
    options.display.close();
  }
}
