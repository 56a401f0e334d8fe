// ovus synth: write the synthetic BMUS/CEUS phantom dataset (labels drawn like the paper's table).
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CLINICAL_PARAMETERS, type ClinicalParameter } from '@ovus/domain';
import { ovusCommand, pathFromHere } from '../cli/command-line';
import type { CliContext } from '../cli/context';
import { count } from '../cli/count';
import { nonNegativeInteger, positiveInteger } from '../cli/option-parsers';
import { synthesizeDataset } from '../runtime/datasets';

interface SynthOptions {
  out: string;
  cases: number;
  seed: number;
  size: number;
  independent?: ClinicalParameter[];
  hidden?: ClinicalParameter[];
}

function parameterList(value: string): ClinicalParameter[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(CLINICAL_PARAMETERS as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) throw new InvalidArgumentError(`'${value}': expected clinical parameters from ${CLINICAL_PARAMETERS.join(', ')}.`);
  return names as ClinicalParameter[];
}

export function registerSynthCommand(program: Command, context: CliContext): void {
  program
    .command('synth')
    .description('write a synthetic phantom dataset (manifest + paired PNG images) for demos and tests')
    .option('--out <dir>', 'output folder', 'data/phantom')
    .option('--cases <n>', "number of cases (default: the paper's 257)", positiveInteger, 257)
    .option('--seed <n>', 'random seed: the same seed writes the same bytes', nonNegativeInteger, 0)
    .option('--size <px>', 'image side in pixels (32 to 2048)', positiveInteger, 128)
    .option('--independent <list>', 'planted structure: these parameters get no association with malignancy (comma-separated)', parameterList)
    .option('--hidden <list>', 'planted structure: these parameters keep their labels but are not drawn in the images', parameterList)
    .action(async (options: SynthOptions) => {
      const outDir = resolve(options.out);
      const result = await synthesizeDataset({ ...options, outDir });
      context.io.out(
        `Wrote ${count(result.cases, 'phantom case')} (${count(result.patients, 'patient')}) to ${outDir}\n` +
          `Import it with: ${ovusCommand('import', pathFromHere(result.manifestPath), '--name', 'demo-phantom')}\n`,
      );
    });
}
