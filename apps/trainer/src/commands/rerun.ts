// ovus rerun <run>: queue a finished or failed run again (same config, fresh retries).
import type { Command } from 'commander';
import { createJobQueue } from '@ovus/jobs';
import type { CliContext } from '../cli/context';
import { findRunForRerun, openDatabase } from '../runtime/services';

export function registerRerunCommand(program: Command, context: CliContext): void {
  program
    .command('rerun')
    .description('queue a run again (e.g. after fixing what made it fail); workers pick it up')
    .argument('<run>', 'run id (a UUID, as shown by the dashboard or worker logs)')
    .action(async (runIdArgument: string) => {
      const database = await openDatabase(context.env());
      try {
        const { runId, sweepId } = await findRunForRerun(database, runIdArgument);
        const queue = await createJobQueue(database.url);
        try {
          const result = await queue.requeueRun(runId, sweepId);
          context.io.out(result === 'queued' ? `Run ${runId} is queued again.\n` : `Run ${runId} is already queued or running.\n`);
        } finally {
          await queue.stop();
        }
      } finally {
        await database.close();
      }
    });
}
