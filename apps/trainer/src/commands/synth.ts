// ovus synth: write the synthetic BMUS/CEUS phantom dataset (labels drawn like the paper's table).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context';
import { positiveInteger } from '../cli/option-parsers';
import { synthesizeDataset } from '../runtime/services';

interface SynthOptions {
  out: string;
  cases: number;
  seed: number;
  size: number;
}

export function registerSynthCommand(program: Command, context: CliContext): void {
  program
    .command('synth')
    .description('write a synthetic phantom dataset (manifest + paired images) for demos and tests')
    .option('--out <dir>', 'output folder', 'data/phantom')
    .option('--cases <n>', 'number of cases', positiveInteger, 257)
    .option('--seed <n>', 'random seed', (v) => positiveInteger(String(Number(v) + 1)) - 1, 0)
    .option('--size <px>', 'image side in pixels', positiveInteger, 128)
    .action(async (options: SynthOptions) => {
      const manifest = await synthesizeDataset({ ...options, outDir: resolve(options.out) });
      context.io.out(`Wrote the phantom dataset: ${manifest}\nImport it with: npm run trainer -- import ${manifest}\n`);
    });
}
