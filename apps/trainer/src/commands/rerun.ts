// ovus rerun <run>: a run that did not finish is queued again and continues from its last
// checkpoint; a finished run is repeated as a new run with the same config (same seed and backend
// give the same results). --here trains it in this process instead of queueing it.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { createJobQueue } from '@ovus/jobs';
import type { CliContext } from '../cli/context';
import { executeRun, openDatabase, rerunTarget } from '../runtime/services';
import { formatRunResults } from './format-results';
import { progressDisplayFor } from './progress-for';

export function registerRerunCommand(program: Command, context: CliContext): void {
  program
    .command('rerun')
    .description('train a run again: a stopped run continues from its checkpoint; a finished one is repeated as a new run')
    .argument('<run>', 'run id (a UUID, as printed by train and the worker logs)')
    .option('--here', 'train it in this process instead of queueing it for workers')
    .action(async (runIdArgument: string, options: { here?: boolean }) => {
      const env = context.env();
      const database = await openDatabase(env);
      try {
        const target = await rerunTarget(database, runIdArgument);
        if (target.copiedFrom) {
          context.io.out(`Run ${target.copiedFrom.id} had finished; repeating it as run ${target.runId} with the same config.\n`);
        }
        if (options.here) {
          const display = progressDisplayFor(context);
          try {
            const result = await executeRun({
              database,
              runId: target.runId,
              backend: 'auto',
              host: env.OVUS_HOST ?? hostname(),
              display,
              log: (line) => context.io.err(`${line}\n`),
              gitCommit: env.OVUS_GIT_COMMIT,
            });
            display.close();
            if (result.outcome) context.io.out(formatRunResults(result.outcome));
            context.io.out(`Run ${target.runId} finished.\n`);
          } finally {
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
              ? `Run ${target.runId} is queued; start workers with: npm run trainer -- worker\n`
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
