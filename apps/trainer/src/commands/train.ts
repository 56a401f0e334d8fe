// ovus train [config]: train one run here, with progress, without the queue; or continue a run
// that stopped (killed, failed) from its last checkpoint with --resume <run>.
import type { Command } from 'commander';
import { loadTrainConfig, parseOverrides } from '../config';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import { collect } from '../cli/option-parsers';
import { claimRunFromQueue, executeRun, interruptOnSignals, openDatabase, trainOnce, type RunAttemptResult } from '../runtime/services';
import { hostname } from 'node:os';
import { formatRunResults } from '../output/format-results';
import { progressDisplayFor } from '../cli/progress-for';

interface TrainOptions {
  set: string[];
  dryRun?: boolean;
  resume?: string;
  takeOver?: boolean;
  project: string;
}

export function registerTrainCommand(program: Command, context: CliContext): void {
  program
    .command('train')
    .description('train a single run in this process (config file and/or --set values), or resume one with --resume')
    .argument('[config]', 'run config file (YAML or JSON); optional when --set gives dataset.name and backbone')
    .option('--set <key=value>', 'set a run-config key (repeatable), e.g. --set backbone=resnet18', collect, [])
    .option('--dry-run', 'print the complete config (defaults filled in) and stop')
    .option('--resume <run>', "continue a stopped run from its last checkpoint, with the run's stored config")
    .option('--take-over', 'with --resume: if the run is queued for workers, cancel its queued job and train it here')
    .option('--project <name>', 'project the new run belongs to', 'ovus')
    .action(async (file: string | undefined, options: TrainOptions) => {
      if (options.resume && (file || options.set.length > 0 || options.dryRun)) {
        throw new CliError('--resume trains the run with its stored config; leave out the config file, --set and --dry-run.', EXIT_CODES.badConfig);
      }
      if (options.takeOver && !options.resume) {
        throw new CliError('--take-over goes with --resume <run>: it takes a queued run away from the workers to train it here.', EXIT_CODES.badConfig);
      }
      const config = options.resume ? null : await loadTrainConfig(file, parseOverrides(options.set));
      if (config && options.dryRun) {
        context.io.out(`${JSON.stringify(config, null, 2)}\n`);
        return;
      }
      const env = context.env();
      const database = await openDatabase(env);
      const display = progressDisplayFor(context);
      const log = (line: string) => context.io.err(`${line}\n`);
      const interrupt = interruptOnSignals(log);
      const attempt = {
        backend: 'auto' as const,
        host: env.OVUS_HOST ?? hostname(),
        log,
        gitCommit: env.OVUS_GIT_COMMIT,
        signal: interrupt.signal,
      };
      try {
        let result: RunAttemptResult;
        if (config) {
          result = await trainOnce(database, config, display, {
            ...attempt,
            project: options.project,
            onCreated: (runId, name) => context.io.out(`Run ${runId} (${name}) created in ${database.displayUrl}.\n`),
          });
        } else {
          const runId = options.resume as string;
          const queued = await claimRunFromQueue(database, runId, { takeOver: options.takeOver === true, takeOverFlag: '--take-over', log });
          context.io.out(`Resuming run ${runId}.\n`);
          // A job taken from the queue ended the last worker attempt: its heartbeat does not hold the run.
          result = await executeRun({ ...attempt, database, display, runId, claim: queued.cancelledJob ? 'after-queue-take-over' : true });
        }
        display.close();
        if (result.outcome) context.io.out(formatRunResults(result.outcome));
        context.io.out(`Run ${result.run.id} ${result.status === 'finished' ? 'finished' : 'had already finished'}.\n`);
      } finally {
        interrupt.dispose();
        display.close();
        await database.close();
      }
    });
}
