import { MetricInputError } from './errors';
import { createRandom } from './prng';
import type { ClassCode, Labels } from './types';
import { requireIntegerInRange, requireNonEmpty } from './validate';

export interface BootstrapOptions {
  /** Number of bootstrap replicates. Default 1000. */
  readonly resamples?: number;
  /** Integer in [0, 2^32); the same seed and data give the same interval. Default 0. */
  readonly seed?: number;
  /** Coverage of the interval. Default 0.95 (the 2.5th and 97.5th percentiles). */
  readonly level?: number;
}

export interface ConfidenceInterval {
  /** The statistic on all cases (not the replicates' mean). Null when undefined on the data. */
  readonly estimate: number | null;
  /** Percentile bounds; null when no replicate gave a defined value. */
  readonly lo: number | null;
  readonly hi: number | null;
  /** Replicates the bounds were taken from: those where the statistic was defined (finite, not null). */
  readonly resamples: number;
}

/** Indices into the caller's arrays (cases may repeat in a replicate). */
export type CaseIndices = Uint32Array;

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_SEED = 0;
export const DEFAULT_LEVEL = 0.95;
const MAX_RESAMPLES = 1_000_000;

/** Percentile bootstrap interval of one statistic; see `bootstrapCis`. */
export function bootstrapCi(
  strata: Labels,
  statistic: (cases: CaseIndices) => number | null,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  return bootstrapCis(strata, (cases) => ({ value: statistic(cases) }), options).value;
}

/**
 * Stratified percentile bootstrap of several statistics at once, all on the same replicates.
 *
 * Each replicate draws, for every stratum (each distinct value of `strata`, normally the true
 * class), as many cases as the stratum holds, with replacement, from that stratum only: every
 * replicate keeps the original class counts, so per-class metrics stay defined. `statistic`
 * receives the replicate's case indices and returns each metric's value (null or NaN when
 * undefined; such replicates are left out of that metric's interval). Bounds are percentiles with
 * linear interpolation between order statistics (NumPy's default).
 */
export function bootstrapCis<K extends string>(
  strata: Labels,
  statistic: (cases: CaseIndices) => Readonly<Record<K, number | null>>,
  options: BootstrapOptions = {},
): Record<K, ConfidenceInterval> {
  const { resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED, level = DEFAULT_LEVEL } = options;
  requireNonEmpty(strata.length, 'strata');
  requireIntegerInRange(resamples, 1, MAX_RESAMPLES, 'resamples');
  if (!(level > 0 && level < 1)) throw new MetricInputError(`level is ${level}: expected a coverage in (0, 1), e.g. 0.95.`);

  const all = new Uint32Array(strata.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const estimates = statistic(all);
  const keys = Object.keys(estimates) as K[];
  const replicates = new Map<K, number[]>(keys.map((key) => [key, []]));

  const groups = groupByStratum(strata);
  const random = createRandom(seed);
  const cases = new Uint32Array(strata.length);
  for (let r = 0; r < resamples; r++) {
    let filled = 0;
    for (const members of groups) {
      for (let j = 0; j < members.length; j++) cases[filled++] = members[random.nextInt(members.length)];
    }
    const values = statistic(cases);
    for (const key of keys) {
      const value = values[key];
      if (value !== null && Number.isFinite(value)) replicates.get(key)?.push(value);
    }
  }

  const tail = (1 - level) / 2;
  const result = {} as Record<K, ConfidenceInterval>;
  for (const key of keys) {
    const values = (replicates.get(key) ?? []).sort((a, b) => a - b);
    const estimate = estimates[key];
    result[key] = {
      estimate: estimate !== null && Number.isFinite(estimate) ? estimate : null,
      lo: values.length ? percentile(values, tail) : null,
      hi: values.length ? percentile(values, 1 - tail) : null,
      resamples: values.length,
    };
  }
  return result;
}

/** Case indices of each stratum, strata in ascending code order, cases in input order. */
function groupByStratum(strata: Labels): Uint32Array[] {
  const members = new Map<ClassCode, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const code = strata[i];
    if (!Number.isFinite(code)) {
      throw new MetricInputError(`strata[${i}] is ${String(code)}: strata must be class codes.`);
    }
    const list = members.get(code);
    if (list) list.push(i);
    else members.set(code, [i]);
  }
  return [...members.entries()].sort(([a], [b]) => a - b).map(([, list]) => Uint32Array.from(list));
}

/** Percentile q in [0, 1] of sorted values, interpolating linearly (NumPy's 'linear', Hyndman–Fan type 7). */
export function percentile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
