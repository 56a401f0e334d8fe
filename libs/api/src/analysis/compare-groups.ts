// Comparing groups of runs (runs of a sweep that differ only in seed or fold): how two groups are
// paired for a paired test, what differs in their configs, a group's mean curve, and a mean with
// its t-interval. Pure over plain values.
import { meanInterval } from '@ovus/ml-metrics';
import type { MeanWithCi } from '@ovus/tracking';
import type { ConfigDifference } from './config-diff';

export interface GroupMember {
  id: string;
  name: string;
  seed: number;
  fold: number | null;
  config: unknown;
}

export interface RunPairing {
  /**
   * 'seed': runs with the same seed and fold were paired (the same initialisation and split on both
   * sides); 'order': no seed/fold in common, so the i-th run of each in seed order was paired.
   */
  by: 'seed' | 'order';
  pairs: { a: GroupMember; b: GroupMember }[];
  /** How they were paired, in one plain sentence. */
  sentence: string;
}

const bySeed = (x: GroupMember, y: GroupMember) => x.seed - y.seed || (x.fold ?? -1) - (y.fold ?? -1) || (x.id < y.id ? -1 : 1);
const seedOf = (r: GroupMember) => (r.fold === null ? `seed ${r.seed}` : `seed ${r.seed} fold ${r.fold}`);

/**
 * Pairs the runs of group A with those of group B: by equal seed and fold where any exist (each run
 * at most once), otherwise in seed order. The matched test cases of every pair are then pooled, so
 * every test case of every pair counts once in McNemar's and DeLong's test.
 */
export function pairGroups(a: readonly GroupMember[], b: readonly GroupMember[], names: { a: string; b: string }): RunPairing {
  const left = [...a].sort(bySeed);
  const right = [...b].sort(bySeed);
  const key = (r: GroupMember) => `${r.seed}/${r.fold ?? ''}`;
  const rightByKey = new Map<string, GroupMember>();
  for (const r of right) if (!rightByKey.has(key(r))) rightByKey.set(key(r), r);
  const bySeedPairs = left.flatMap((r) => {
    const match = rightByKey.get(key(r));
    return match ? [{ a: r, b: match }] : [];
  });
  if (bySeedPairs.length > 0) {
    const seeds = bySeedPairs.map((p) => seedOf(p.a)).join(', ');
    const unpaired = a.length + b.length - 2 * bySeedPairs.length;
    return {
      by: 'seed',
      pairs: bySeedPairs,
      sentence:
        `Paired per seed: ${names.a} and ${names.b} were matched run by run on ${seeds}, and the test cases both runs of a pair predicted were pooled.` +
        (unpaired > 0 ? ` ${unpaired} run${unpaired === 1 ? '' : 's'} without a partner of the same seed ${unpaired === 1 ? 'was' : 'were'} left out.` : ''),
    };
  }
  const pairs = left.slice(0, right.length).map((r, i) => ({ a: r, b: right[i] as GroupMember }));
  return {
    by: 'order',
    pairs,
    sentence:
      `Paired in seed order: ${names.a} and ${names.b} share no seed, so the i-th run of each (by seed) were matched ` +
      `(${pairs.map((p) => `${seedOf(p.a)} with ${seedOf(p.b)}`).join('; ')}), and the test cases both runs of a pair predicted were pooled.`,
  };
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, child] of entries) flatten(child, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix || '(config)', JSON.stringify(value));
}

/**
 * What differs between groups' configs. A path on which a group's own runs disagree (the seed, the
 * fold) reads "varies: …" for that group; rows are kept where the groups' values differ.
 */
export function groupConfigDiff(groups: readonly (readonly unknown[])[]): ConfigDifference[] {
  const flat = groups.map((configs) =>
    configs.map((config) => {
      const out = new Map<string, string>();
      flatten(config, '', out);
      return out;
    }),
  );
  const paths = [...new Set(flat.flatMap((g) => g.flatMap((f) => [...f.keys()])))].sort();
  const diff: ConfigDifference[] = [];
  for (const path of paths) {
    const values = flat.map((runs) => {
      const distinct = [...new Set(runs.map((f) => f.get(path) ?? null))];
      if (distinct.length === 1) return distinct[0] ?? null;
      return `varies: ${distinct.map((v) => v ?? '(absent)').join(' | ')}`;
    });
    if (values.some((v) => v !== values[0])) diff.push({ path, values });
  }
  return diff;
}

/** Mean over values with the 95% t-interval (lo/hi null with fewer than two values). */
export function meanWithCi(values: readonly number[], level = 0.95): MeanWithCi | null {
  const summary = meanInterval(values.filter(Number.isFinite), level);
  return summary && { mean: summary.mean, sd: summary.sd, lo: summary.lo, hi: summary.hi };
}

export interface CurvePoint {
  step: number;
  value: number;
  timestamp: number;
}

/**
 * A group's curve: at each step, the mean of the values its runs logged there, with how many runs
 * did (a run that stopped early drops out of the later steps). Time is the mean time since each
 * run's first point, so a time axis shows how long the group took to get there.
 */
export function meanCurve(series: readonly (readonly CurvePoint[])[]): (CurvePoint & { runs: number })[] {
  const at = new Map<number, { sum: number; n: number; elapsed: number }>();
  for (const points of series) {
    const start = points[0]?.timestamp ?? 0;
    for (const p of points) {
      if (!Number.isFinite(p.value)) continue;
      const slot = at.get(p.step) ?? { sum: 0, n: 0, elapsed: 0 };
      slot.sum += p.value;
      slot.n += 1;
      slot.elapsed += p.timestamp - start;
      at.set(p.step, slot);
    }
  }
  return [...at.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([step, s]) => ({ step, value: s.sum / s.n, timestamp: Math.round(s.elapsed / s.n), runs: s.n }));
}
