// ovus select: which clinical parameters matter. From a published counts table (association
// only), or from a sweep's stored runs (association, predictability, contribution, greedy path),
// stored as one analysis of the project's history. `ovus select plan` queues the ablation runs.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CountsFileError, readCountsFile } from '@ovus/data';
import { DEFAULT_THRESHOLDS, SelectionInputError, type SelectionThresholds } from '@ovus/ml-selection';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import { collect } from '../cli/option-parsers';
import { selectFromCounts } from '../selection/counts-analysis';
import { formatSelection } from '../selection/format-selection';

interface SelectOptions {
  fromCounts?: string;
  threshold: string[];
  continuityCorrection: boolean;
  json?: boolean;
}

export function registerSelectCommand(program: Command, context: CliContext): void {
  program
    .command('select')
    .description('rank the clinical parameters and select the key ones (association with malignancy, predictability, contribution)')
    .option('--from-counts <file>', "association only, from a per-class counts table laid out like the paper's (e.g. configs/paper-dataset-counts.csv)")
    .option(
      '--threshold <name=value>',
      `change a rule threshold (repeatable): ${Object.entries(DEFAULT_THRESHOLDS).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      collect,
      [],
    )
    .option('--no-continuity-correction', "chi-square without Yates' correction on 2 × 2 tables")
    .option('--json', 'print the full result as JSON')
    .action(async (options: SelectOptions) => {
      const thresholds = parseThresholds(options.threshold);
      if (!options.fromCounts) throw new CliError('Say what to analyse: --from-counts <file>.', EXIT_CODES.badConfig);
      const file = resolve(options.fromCounts);
      try {
        const statistics = await readCountsFile(file);
        const result = selectFromCounts(statistics, { thresholds, continuityCorrection: options.continuityCorrection });
        context.io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatSelection(result, { source: `the counts table ${options.fromCounts}` }));
      } catch (error) {
        if (error instanceof CountsFileError || error instanceof SelectionInputError) throw new CliError(error.message, EXIT_CODES.badConfig);
        throw error;
      }
    });
}

function parseThresholds(pairs: readonly string[]): Partial<SelectionThresholds> {
  const out: Partial<Record<keyof SelectionThresholds, number>> = {};
  for (const pair of pairs) {
    const [name, value, ...rest] = pair.split('=');
    if (!(name in DEFAULT_THRESHOLDS)) {
      throw new CliError(`--threshold ${pair}: unknown threshold '${name}'; known: ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}.`, EXIT_CODES.badConfig);
    }
    const number = Number(value);
    if (rest.length > 0 || value === undefined || value === '' || !Number.isFinite(number)) {
      throw new CliError(`--threshold ${pair}: expected ${name}=<number>, e.g. ${name}=${DEFAULT_THRESHOLDS[name as keyof SelectionThresholds]}.`, EXIT_CODES.badConfig);
    }
    out[name as keyof SelectionThresholds] = number;
  }
  return out;
}
