// Distribution functions the tests' p-values need, on top of special-functions.ts.
import { erfc, regularizedGammaP, regularizedGammaQ } from './special-functions';

/** Standard normal cumulative distribution Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal upper tail 1 - Φ(x), without cancellation for large x. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Chi-square cumulative distribution with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  checkDf(df);
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/** Chi-square upper tail (the p-value of a chi-square statistic). */
export function chiSquareSf(x: number, df: number): number {
  checkDf(df);
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`Chi-square degrees of freedom must be > 0, got ${df}.`);
}

/**
 * P(X <= k) for X ~ Binomial(n, p). Sums the probability mass in log space, each term obtained
 * from the previous by the ratio (n-i+1)/i · p/(1-p): exact to rounding for the counts a paired
 * test sees, with no overflow of binomial coefficients or underflow of p^n for large n.
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Binomial n must be a non-negative integer, got ${n}.`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Binomial p must be in [0, 1], got ${p}.`);
  const kk = Math.floor(k);
  if (kk < 0) return 0;
  if (kk >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  const logOdds = Math.log(p) - Math.log1p(-p);
  const logTerms = new Float64Array(kk + 1);
  logTerms[0] = n * Math.log1p(-p);
  let max = logTerms[0];
  for (let i = 1; i <= kk; i++) {
    logTerms[i] = logTerms[i - 1] + Math.log((n - i + 1) / i) + logOdds;
    if (logTerms[i] > max) max = logTerms[i];
  }
  let sum = 0;
  for (let i = 0; i <= kk; i++) sum += Math.exp(logTerms[i] - max);
  return Math.min(1, Math.exp(max) * sum);
}
