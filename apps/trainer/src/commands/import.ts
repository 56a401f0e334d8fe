// ovus import <manifest>: validate a dataset (manifest + images) and store it as a new version.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context';
import { ovusCommand, pathFromHere } from '../cli/command-line';
import { CliError, EXIT_CODES } from '../cli/errors';
import { checkDataset } from '../runtime/datasets';
import { openDatabase, storeDatasetVersion } from '../runtime/services';

export function registerImportCommand(program: Command, context: CliContext): void {
  program
    .command('import')
    .description('validate a dataset manifest and its images, and store it as a dataset version')
    .argument('<manifest>', 'CSV or JSONL manifest (columns: see libs/data/README.md)')
    .option('--name <dataset>', 'dataset name to store it under (default: from the manifest file or folder name)')
    .option('--check', 'validate and print the label statistics; store nothing')
    .option('--allow-outside-root', "accept image paths that leave the manifest's folder ('../', absolute paths elsewhere)")
    .action(async (manifest: string, options: { name?: string; check?: boolean; allowOutsideRoot?: boolean }) => {
      const path = resolve(manifest);
      await access(path).catch(() => {
        throw new CliError(`The manifest ${path} does not exist or cannot be read. Give the path of the dataset's manifest.`, EXIT_CODES.badConfig);
      });
      const dataset = await checkDataset(path, { name: options.name, allowOutsideRoot: options.allowOutsideRoot }, context.io.out);
      if (options.check) {
        context.io.out(`Checked only (--check): nothing was stored. To store it: ${storeCommand(path, options)}\n`);
        return;
      }
      const database = await openDatabase(context.env());
      try {
        const version = await storeDatasetVersion(database, dataset);
        context.io.out(
          version.created
            ? `Stored as dataset '${dataset.name}' version ${dataset.contentHash.slice(0, 12)} (id ${version.id}) in ${database.displayUrl}.\n`
            : `This content is already stored (version ${dataset.contentHash.slice(0, 12)}, id ${version.id}); nothing changed.\n`,
        );
      } finally {
        await database.close();
      }
    });
}

/** The same import without --check. */
function storeCommand(path: string, options: { name?: string; allowOutsideRoot?: boolean }): string {
  const words = ['import', pathFromHere(path)];
  if (options.name !== undefined) words.push('--name', options.name);
  if (options.allowOutsideRoot) words.push('--allow-outside-root');
  return ovusCommand(...words);
}
