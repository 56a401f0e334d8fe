// Mean over repetitions (seeds/folds) with a two-sided Student t interval: the repetitions are
// few (3–15), so the t distribution, not the normal.
import { studentTCritical } from './student-t';

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
