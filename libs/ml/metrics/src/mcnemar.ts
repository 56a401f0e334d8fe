import { binomialCdf, chiSquareSf } from './distributions';
import { MetricInputError } from './errors';
import type { Labels } from './types';
import { requireNonEmpty, requireSameLength } from './validate';

export type McNemarMethod = 'exact' | 'chi2';

export interface McNemarOptions {
  /**
   * 'exact': two-sided binomial test on the discordant pairs; 'chi2': chi-square with one degree
   * of freedom; 'auto' (default): exact when there are fewer than 25 discordant pairs, where the
   * chi-square approximation is poor, chi-square otherwise.
   */
  readonly method?: McNemarMethod | 'auto';
  /** Edwards' continuity correction for 'chi2' (default true). */
  readonly correction?: boolean;
}

export interface McNemarResult {
  /** Cases model A got right and model B got wrong. */
  readonly b: number;
  /** Cases model A got wrong and model B got right. */
  readonly c: number;
  /** 'exact': min(b, c); 'chi2': the chi-square statistic. */
  readonly statistic: number;
  readonly pValue: number;
  readonly method: McNemarMethod;
}

/** Below this many discordant pairs 'auto' uses the exact test. */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test of whether two models, scored on the same cases, differ in accuracy. Only the
 * discordant cases (one model right, the other wrong) carry information.
 *
 * Conventions: the exact p-value is min(1, 2·P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2)
 * (as statsmodels); with no discordant pair both methods give statistic 0 and p = 1; the
 * continuity correction is skipped when b = c (as R's mcnemar.test), where it would turn a
 * statistic of 0 into 1/(b+c).
 */
export function mcnemarTest(yTrue: Labels, predA: Labels, predB: Labels, options: McNemarOptions = {}): McNemarResult {
  requireNonEmpty(yTrue.length, 'yTrue');
  requireSameLength(yTrue.length, predA.length, 'predA', 'yTrue');
  requireSameLength(yTrue.length, predB.length, 'predB', 'yTrue');
  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const aRight = predA[i] === yTrue[i];
    const bRight = predB[i] === yTrue[i];
    if (aRight && !bRight) b++;
    else if (!aRight && bRight) c++;
  }
  return mcnemarFromCounts(b, c, options);
}

/** McNemar's test from the discordant counts alone. */
export function mcnemarFromCounts(b: number, c: number, options: McNemarOptions = {}): McNemarResult {
  for (const [name, value] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new MetricInputError(`McNemar count ${name} is ${value}: expected a non-negative integer.`);
    }
  }
  const { method = 'auto', correction = true } = options;
  const discordant = b + c;
  const chosen: McNemarMethod = method === 'auto' ? (discordant < MCNEMAR_EXACT_BELOW ? 'exact' : 'chi2') : method;
  if (chosen === 'exact') {
    const statistic = Math.min(b, c);
    const pValue = discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(statistic, discordant, 0.5));
    return { b, c, statistic, pValue, method: chosen };
  }
  if (discordant === 0) return { b, c, statistic: 0, pValue: 1, method: chosen };
  const shift = correction && b !== c ? 1 : 0;
  const statistic = (Math.abs(b - c) - shift) ** 2 / discordant;
  return { b, c, statistic, pValue: chiSquareSf(statistic, 1), method: chosen };
}
