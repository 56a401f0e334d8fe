// ovus train [config]: train one run here, with progress, without the queue.
import type { Command } from 'commander';
import { loadTrainConfig, parseOverrides } from '../config';
import type { CliContext } from '../cli/context';
import { collect } from '../cli/option-parsers';
import { openDatabase, trainOnce } from '../runtime/services';
import { progressDisplayFor } from './progress-for';

interface TrainOptions {
  set: string[];
  dryRun?: boolean;
}

export function registerTrainCommand(program: Command, context: CliContext): void {
  program
    .command('train')
    .description('train a single run in this process (config file and/or --set values)')
    .argument('[config]', 'run config file (YAML or JSON); optional when --set gives dataset.name and backbone')
    .option('--set <key=value>', 'set a run-config key (repeatable), e.g. --set backbone=resnet18', collect, [])
    .option('--dry-run', 'print the complete config (defaults filled in) and stop')
    .action(async (file: string | undefined, options: TrainOptions) => {
      const config = await loadTrainConfig(file, parseOverrides(options.set));
      if (options.dryRun) {
        context.io.out(`${JSON.stringify(config, null, 2)}\n`);
        return;
      }
      const database = await openDatabase(context.env());
      try {
        const runId = await trainOnce(database, config, progressDisplayFor(context));
        context.io.out(`Run ${runId} finished.\n`);
      } finally {
        await database.close();
      }
    });
}
