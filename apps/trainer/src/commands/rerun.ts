// ovus rerun <run>: a run that did not finish is queued again and continues from its last
// checkpoint; a finished run is repeated as a new run with the same config (same seed and backend
// give the same results). --here trains it in this process instead of queueing it.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { createJobQueue } from '@ovus/jobs';
import { ovusCommand } from '../cli/command-line';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import { claimRunFromQueue, executeRun, interruptOnSignals, openDatabase, rerunTarget } from '../runtime/services';
import { formatRunResults } from '../output/format-results';
import { progressDisplayFor } from '../cli/progress-for';

export function registerRerunCommand(program: Command, context: CliContext): void {
  program
    .command('rerun')
    .description('train a run again: a stopped run continues from its checkpoint; a finished one is repeated as a new run')
    .argument('<run>', 'run id (a UUID, as printed by train and the worker logs)')
    .option('--here', 'train it in this process instead of queueing it for workers')
    .option('--take-over', 'with --here: if the run is queued for workers, cancel its queued job and train it here')
    .action(async (runIdArgument: string, options: { here?: boolean; takeOver?: boolean }) => {
      if (options.takeOver && !options.here) {
        throw new CliError('--take-over goes with --here: it takes a queued run away from the workers to train it in this process.', EXIT_CODES.badConfig);
      }
      const env = context.env();
      const database = await openDatabase(env);
      try {
        const target = await rerunTarget(database, runIdArgument);
        if (target.copiedFrom) {
          context.io.out(`Run ${target.copiedFrom.id} had finished; repeating it as run ${target.runId} with the same config.\n`);
        }
        if (options.here) {
          const log = (line: string) => context.io.err(`${line}\n`);
          // A copy is a new run, but a run that did not finish may still have a job in the queue.
          const queued = target.copiedFrom
            ? { cancelledJob: false }
            : await claimRunFromQueue(database, target.runId, { takeOver: options.takeOver === true, takeOverFlag: '--take-over', log });
          const display = progressDisplayFor(context);
          const interrupt = interruptOnSignals(log);
          try {
            const result = await executeRun({
              database,
              runId: target.runId,
              backend: 'auto',
              host: env.OVUS_HOST ?? hostname(),
              display,
              log,
              gitCommit: env.OVUS_GIT_COMMIT,
              signal: interrupt.signal,
              claim: target.copiedFrom ? true : queued.cancelledJob ? 'after-queue-take-over' : true,
            });
            display.close();
            if (result.outcome) context.io.out(formatRunResults(result.outcome));
            context.io.out(`Run ${target.runId} finished.\n`);
          } finally {
            interrupt.dispose();
            display.close();
          }
          return;
        }
        const queue = await createJobQueue(database.url);
        try {
          const queued = target.copiedFrom
            ? (await queue.enqueueRunJobs(null, [target.runId])).queued.length > 0
            : (await queue.requeueRun(target.runId, target.sweepId)) === 'queued';
          context.io.out(
            queued
              ? `Run ${target.runId} is queued; start workers with: ${ovusCommand('worker')}\n`
              : `Run ${target.runId} is already queued or running.\n`,
          );
        } finally {
          await queue.stop();
        }
      } finally {
        await database.close();
      }
    });
}
