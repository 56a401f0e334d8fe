// A sweep: a base run config, optional variants, and a grid of values over any run-config key,
// expanded into one validated run config per combination, in a fixed order.
//
//   name: paper-table2
//   project: ovus-paper
//   base: { dataset: { name: ovarian }, imageSize: 224, epochs: 50 }
//   variants:                     # optional: hand-picked bundles of settings
//     - { backbone: mobilenet-v3-small, backboneOptions: { widthMultiplier: 0.5 } }
//   grid:                         # cartesian product; dotted keys reach nested fields
//     backbone: [resnet18, vgg16]
//     optimizer.learningRate: [0.001, 0.0001]
//     seed: [0, 1, 2]
//
// Order: variants outermost, then grid keys in the order written, the last varying fastest.
// Later layers win: base < variant < grid values < --set overrides.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@ovus/data';
import { didYouMean } from '@ovus/domain';
import { ConfigError } from './config-error';
import { deepMerge, isPlainObject, nestAt, type PlainObject } from './merge';
import { describeIssues, formatPath, type ConfigProblem } from './problems';
import { deepPartial, fieldAt, keysAt } from './schema-walk';
import type { SourceFile } from './source-file';
import { trainConfigSchema, type TrainConfig } from './train-config';

const fragment = z.record(z.string(), z.unknown());

export const sweepFileSchema = z.strictObject({
  name: z.string().min(1).max(200),
  project: z.string().min(1).max(200),
  description: z.string().optional(),
  base: fragment.default({}),
  variants: z.array(fragment).min(1).optional(),
  grid: z.record(z.string(), z.array(z.unknown())).default({}),
  /** Refuses sweeps larger than this (a guard against a grid typo multiplying runs). */
  maxRuns: z.number().int().min(1).default(5000),
});

export interface RunSpec {
  /** 0-based position in the sweep's fixed order. */
  index: number;
  name: string;
  /** Equal for runs that differ only in seed, split seed or fold: mean ± CI is taken over a group. */
  groupKey: string;
  /** The variant and grid values that made this run (dotted keys). */
  assignment: Record<string, unknown>;
  config: TrainConfig;
}

export interface ExpandedSweep {
  name: string;
  project: string;
  description?: string;
  /**
   * sha256 of the canonical expanded run configs: the same runs, however the sweep was written,
   * have the same hash. Not the stored `sweep.config_hash`, which also covers the definition and
   * the dataset versions (tracking's sweepConfigHash).
   */
  runConfigsHash: string;
  /** The sweep as written plus overrides, for the record. */
  definition: PlainObject;
  runs: RunSpec[];
}

const partialTrainConfig = deepPartial(trainConfigSchema);

export function expandSweep(source: SourceFile, overrides: PlainObject = {}): ExpandedSweep {
  const fail = (problems: readonly ConfigProblem[]): never => {
    throw new ConfigError(source.path, source.locate(problems));
  };

  const top = sweepFileSchema.safeParse(source.data ?? {}, { reportInput: true });
  const problems: ConfigProblem[] = top.success ? [] : describeIssues(top.error.issues, sweepFileSchema, []);
  // Check the fragments even when the top level is wrong, so one run reports every problem.
  const sweep = top.success ? top.data : bestEffort(source.data);

  // Each fragment is checked on its own first, so a problem points at the place that holds it.
  problems.push(
    ...checkFragment(sweep.base, partialTrainConfig, ['base']),
    ...(sweep.variants ?? []).flatMap((v, i) => checkFragment(v, partialTrainConfig, ['variants', i])),
  );
  const gridKeys = Object.keys(sweep.grid);
  for (const key of gridKeys) {
    const parts = key.split('.');
    const field = fieldAt(trainConfigSchema, parts);
    if (!field) {
      const known = longestKnownPrefix(parts);
      const where = formatPath(['grid', ...known]);
      const valid = keysAt(trainConfigSchema, known);
      const hint = didYouMean(parts[known.length], valid) || `; valid keys: ${valid.join(', ')}`;
      problems.push({ path: ['grid'], unknownKey: key, message: `unknown key '${parts[known.length]}' at ${where}${hint}` });
      continue;
    }
    if (sweep.grid[key].length === 0) {
      problems.push({ path: ['grid', key], message: `grid.${key} has no values; give at least one, or remove the key` });
    }
    const schema = deepPartial(field);
    sweep.grid[key].forEach((value, i) => problems.push(...checkFragment(value, schema, ['grid', key, i], field)));
  }
  const overrideProblems = checkFragment(overrides, partialTrainConfig, []);
  if (overrideProblems.length > 0) throw new ConfigError('--set', overrideProblems);
  if (problems.length > 0) fail(problems);

  const variants: PlainObject[] = sweep.variants ?? [{}];
  const count = variants.length * gridKeys.reduce((n, k) => n * sweep.grid[k].length, 1);
  if (count > sweep.maxRuns) {
    fail([{ path: ['grid'], message: `the sweep expands to ${count} runs, more than maxRuns (${sweep.maxRuns}); shrink the grid or raise maxRuns` }]);
  }

  const runs: RunSpec[] = [];
  const runProblems = new Map<string, { path: ConfigProblem['path']; runs: string[] }>();
  const seen = new Map<string, number>();
  let index = -1;
  for (const [variantIndex, variant] of variants.entries()) {
    for (const combination of cartesian(gridKeys.map((k) => sweep.grid[k]))) {
      index += 1;
      const assignment: Record<string, unknown> = { ...flatten(sweep.variants ? variant : {}) };
      gridKeys.forEach((k, i) => (assignment[k] = combination[i]));
      const merged = deepMerge(
        sweep.base,
        variant,
        ...gridKeys.map((k, i) => nestAt(k.split('.'), combination[i])),
        overrides,
      );
      const label = `run ${index + 1} of ${count}${Object.keys(assignment).length ? ` (${describeAssignment(assignment)})` : ''}`;
      const parsed = trainConfigSchema.safeParse(merged, { reportInput: true });
      if (!parsed.success) {
        for (const p of describeIssues(parsed.error.issues, trainConfigSchema, [])) {
          const origin = originOf(p.path, gridKeys, sweep.variants ? ['variants', variantIndex] : null, variant);
          const entry = runProblems.get(p.message) ?? { path: origin, runs: [] };
          entry.runs.push(label);
          runProblems.set(p.message, entry);
        }
        continue;
      }
      const config = parsed.data;
      const key = canonicalJson(config);
      const twin = seen.get(key);
      if (twin !== undefined) {
        const message = `${label} has exactly the same configuration as run ${twin + 1}; remove the repeated grid value`;
        runProblems.set(message, { path: ['grid'], runs: [] });
      }
      seen.set(key, index);
      runs.push({ index, name: runName(config, assignment), groupKey: groupKeyOf(config), assignment, config });
    }
  }
  if (runProblems.size > 0) {
    fail(
      [...runProblems].map(([message, { path, runs: labels }]) => ({
        path,
        message: labels.length === 0 ? message : `${summarise(labels)}: ${message}`,
      })),
    );
  }

  const definition = deepMerge(sweep as unknown as PlainObject, Object.keys(overrides).length ? { overrides } : {});
  return {
    name: sweep.name,
    project: sweep.project,
    description: sweep.description,
    runConfigsHash: sha256(canonicalJson(runs.map((r) => r.config))),
    definition,
    runs,
  };
}

/** The parts of a malformed sweep file that have the right shape, for checking what can be. */
function bestEffort(data: unknown): z.output<typeof sweepFileSchema> {
  const raw = isPlainObject(data) ? data : {};
  const grid = isPlainObject(raw.grid) ? raw.grid : {};
  return {
    name: '',
    project: '',
    maxRuns: 0,
    base: isPlainObject(raw.base) ? raw.base : {},
    variants: Array.isArray(raw.variants) ? raw.variants.filter(isPlainObject) : undefined,
    grid: Object.fromEntries(Object.entries(grid).filter((e): e is [string, unknown[]] => Array.isArray(e[1]))),
  };
}

function checkFragment(value: unknown, schema: z.ZodType, prefix: ConfigProblem['path'], fullSchema: z.ZodType = trainConfigSchema): ConfigProblem[] {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? [] : describeIssues(result.error.issues, fullSchema, prefix);
}

function longestKnownPrefix(parts: readonly string[]): string[] {
  let known: string[] = [];
  for (let i = 1; i <= parts.length; i += 1) {
    if (!fieldAt(trainConfigSchema, parts.slice(0, i))) break;
    known = parts.slice(0, i);
  }
  return known;
}

/** Which part of the file set the value at `path` of a merged run config. */
function originOf(path: ConfigProblem['path'], gridKeys: readonly string[], variantPrefix: ConfigProblem['path'] | null, variant: PlainObject): ConfigProblem['path'] {
  const dotted = path.filter((p) => typeof p === 'string').join('.');
  const gridKey = gridKeys.find((k) => dotted === k || dotted.startsWith(`${k}.`) || k.startsWith(`${dotted}.`));
  if (gridKey) return ['grid', gridKey];
  if (variantPrefix && path.length > 0 && Object.hasOwn(variant, String(path[0]))) return [...variantPrefix, ...path];
  return ['base', ...path];
}

export function* cartesian(lists: readonly (readonly unknown[])[]): Generator<unknown[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = lists;
  for (const value of first) for (const tail of cartesian(rest)) yield [value, ...tail];
}

function flatten(value: PlainObject, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) Object.assign(out, flatten(v as PlainObject, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

function describeAssignment(assignment: Record<string, unknown>): string {
  return Object.entries(assignment)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function summarise(labels: readonly string[]): string {
  return labels.length <= 3 ? labels.join('; ') : `${labels.slice(0, 2).join('; ')} and ${labels.length - 2} more runs`;
}

/** Seeds and folds are repetitions of one experiment; everything else defines the experiment. */
export function groupKeyOf(config: TrainConfig): string {
  const { seed: _seed, split, ...rest } = config;
  const { seed: _splitSeed, fold: _fold, ...splitRest } = split;
  const hash = sha256(canonicalJson({ ...rest, split: splitRest })).slice(0, 12);
  return `${config.backbone}-${config.imageSize}px-${hash}`;
}

function runName(config: TrainConfig, assignment: Record<string, unknown>): string {
  const width = config.backboneOptions.widthMultiplier;
  const head = `${config.backbone}${width === 1 ? '' : `-x${width}`}-${config.imageSize}px`;
  const shown = new Set(['backbone', 'imageSize', 'backboneOptions.widthMultiplier']);
  const parts = Object.entries(assignment)
    .filter(([k]) => !shown.has(k))
    .map(([k, v]) => `${k.split('.').pop()}=${Array.isArray(v) ? v.join('+') : String(v)}`);
  return [head, ...parts].join(' ').slice(0, 200);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
