// Mean over repetitions (seeds/folds) with a two-sided Student t interval, and the paired t-test
// on differences: the repetitions are few (3–15), so the t distribution, not the normal.
import { studentTCritical, studentTTwoSidedP } from '@ovus/ml-metrics';

export interface MeanInterval {
  readonly mean: number;
  readonly n: number;
  readonly sd: number | null;
  /** Null with fewer than two values. */
  readonly lo: number | null;
  readonly hi: number | null;
}

export function meanInterval(values: readonly number[], level = 0.95): MeanInterval | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, n, sd: null, lo: null, hi: null };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentTCritical(n - 1, level) * sd) / Math.sqrt(n);
  return { mean, n, sd, lo: mean - half, hi: mean + half };
}

/** Two-sided one-sample t-test of mean 0 (the paired t-test on differences). Null below two values. */
export function pairedTTest(differences: readonly number[]): { t: number; df: number; p: number } | null {
  const summary = meanInterval(differences);
  if (!summary || summary.sd === null) return null;
  const df = summary.n - 1;
  if (summary.sd === 0) return { t: summary.mean === 0 ? 0 : Math.sign(summary.mean) * Number.POSITIVE_INFINITY, df, p: summary.mean === 0 ? 1 : 0 };
  const t = summary.mean / (summary.sd / Math.sqrt(summary.n));
  return { t, df, p: studentTTwoSidedP(Math.abs(t), df) };
}
