// ovus sweep <config>: check a sweep, list its runs (--dry-run), or submit it to the queue.
import type { Command } from 'commander';
import { loadSweepConfig, parseOverrides } from '../config';
import { ovusCommand } from '../cli/command-line';
import type { CliContext } from '../cli/context';
import { collect } from '../cli/option-parsers';
import { openDatabase, submitSweep } from '../runtime/services';
import { formatSweepPlan } from '../output/format-runs';

interface SweepOptions {
  set: string[];
  dryRun?: boolean;
  json?: boolean;
}

export function registerSweepCommand(program: Command, context: CliContext): void {
  program
    .command('sweep')
    .description('expand a sweep config (YAML or JSON) into runs and queue them for workers')
    .argument('<config>', 'sweep file, e.g. configs/paper-table2.yaml')
    .option('--set <key=value>', 'override a run-config key for every run (repeatable), e.g. --set epochs=2', collect, [])
    .option('--dry-run', 'check the config and list the runs; change nothing')
    .option('--json', 'print the expanded runs as JSON')
    .addHelpText('after', '\nSubmitting the same sweep again queues nothing new. Start workers with `npx ovus worker`.')
    .action(async (file: string, options: SweepOptions) => {
      const sweep = await loadSweepConfig(file, parseOverrides(options.set));
      if (options.json) {
        context.io.out(`${JSON.stringify({ name: sweep.name, project: sweep.project, runConfigsHash: sweep.runConfigsHash, runs: sweep.runs }, null, 2)}\n`);
      } else {
        context.io.out(formatSweepPlan(sweep));
      }
      if (options.dryRun) return;
      const database = await openDatabase(context.env());
      try {
        const submitted = await submitSweep(database, sweep);
        context.io.out(
          `${submitted.created ? 'Submitted' : 'Already submitted'} sweep ${submitted.sweepId} to ${database.displayUrl}: ` +
            `${submitted.queued.length} run(s) queued now, ${submitted.alreadyQueued.length} already known to the queue, ` +
            `${submitted.finished.length} finished.\n` +
            (submitted.queued.length > 0 || submitted.alreadyQueued.length > 0 ? `Start workers with: ${ovusCommand('worker')}\n` : 'Nothing new to train.\n'),
        );
      } finally {
        await database.close();
      }
    });
}
