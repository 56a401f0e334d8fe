// Entry points the commands use: a file (and --set overrides) in, a validated config out, or a
// ConfigError listing every problem with its file and line.
import { ConfigError } from './config-error';
import { deepMerge, type PlainObject } from './merge';
import { describeIssues } from './problems';
import { readSourceFile, type SourceFile } from './source-file';
import { expandSweep, type ExpandedSweep } from './sweep-config';
import { trainConfigSchema, type TrainConfig } from './train-config';

export async function loadSweepConfig(path: string, overrides: PlainObject = {}): Promise<ExpandedSweep> {
  return expandSweep(await readSourceFile(path), overrides);
}

/** A single run's config from a file (optional) with overrides on top. */
export async function loadTrainConfig(path: string | undefined, overrides: PlainObject = {}): Promise<TrainConfig> {
  // Without a file there are no lines to point at: problems are reported against --set.
  const source: SourceFile = path ? await readSourceFile(path) : { path: '--set', data: {}, locate: (problems) => [...problems] };
  return validateTrainConfig(source, overrides);
}

export function validateTrainConfig(source: SourceFile, overrides: PlainObject = {}): TrainConfig {
  const merged = deepMerge(source.data ?? {}, overrides);
  const result = trainConfigSchema.safeParse(merged, { reportInput: true });
  if (result.success) return result.data;
  const label = Object.keys(overrides).length > 0 && source.path !== '--set' ? `${source.path} (with --set)` : source.path;
  throw new ConfigError(label, source.locate(describeIssues(result.error.issues, trainConfigSchema, [])));
}
