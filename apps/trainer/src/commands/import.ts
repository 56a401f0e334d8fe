// ovus import <manifest>: validate a dataset (manifest + images) and store it as a new version.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context';
import { CliError } from '../cli/errors';
import { importDataset, openDatabase } from '../runtime/services';

export function registerImportCommand(program: Command, context: CliContext): void {
  program
    .command('import')
    .description('validate a dataset manifest and its images, and store it as a dataset version')
    .argument('<manifest>', 'CSV manifest (see libs/data/README.md for its columns)')
    .option('--name <dataset>', 'dataset name to store it under (default: the manifest folder name)')
    .action(async (manifest: string, options: { name?: string }) => {
      const path = resolve(manifest);
      await access(path).catch(() => {
        throw new CliError(`The manifest ${path} does not exist or cannot be read. Give the path of the dataset's CSV manifest.`, 2);
      });
      const database = await openDatabase(context.env());
      try {
        const versionId = await importDataset(database, path, options.name);
        context.io.out(`Imported ${path} as dataset version ${versionId}.\n`);
      } finally {
        await database.close();
      }
    });
}
