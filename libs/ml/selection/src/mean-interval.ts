// The paired t-test on differences over repetitions (seeds/folds), beside the mean with its t
// interval it builds on (@ovus/ml-metrics): the repetitions are few, so the t distribution.
import { meanInterval, studentTTwoSidedP, type MeanInterval } from '@ovus/ml-metrics';

export { meanInterval, type MeanInterval };

/** Two-sided one-sample t-test of mean 0 (the paired t-test on differences). Null below two values. */
export function pairedTTest(differences: readonly number[]): { t: number; df: number; p: number } | null {
  const summary = meanInterval(differences);
  if (!summary || summary.sd === null) return null;
  const df = summary.n - 1;
  if (summary.sd === 0) return { t: summary.mean === 0 ? 0 : Math.sign(summary.mean) * Number.POSITIVE_INFINITY, df, p: summary.mean === 0 ? 1 : 0 };
  const t = summary.mean / (summary.sd / Math.sqrt(summary.n));
  return { t, df, p: studentTTwoSidedP(Math.abs(t), df) };
}
