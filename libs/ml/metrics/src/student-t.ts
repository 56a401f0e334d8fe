// The two-sided Student t critical value and p-value for confidence intervals and paired tests over
// a handful of runs. Hand-written because this library may import no package (see
// special-functions.ts); moved here from @ovus/tracking so the selection analysis can use it too.
import { logGamma } from './special-functions';

/** Regularised incomplete beta I_x(a, b), by Lentz's continued fraction (Numerical Recipes 6.4). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 300; m += 1) {
    const m2 = 2 * m;
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + term / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    result *= d * c;
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + term / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (front * result) / a;
}

/** P(|T| > t) for t ≥ 0 and `df` degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The t with P(|T| > t) = 1 - level, e.g. 12.706 for level 0.95 and df 1. */
export function studentTCritical(df: number, level = 0.95): number {
  if (!(df > 0)) throw new RangeError(`studentTCritical: degrees of freedom ${df} must be positive`);
  if (!(level > 0 && level < 1)) throw new RangeError(`studentTCritical: level ${level} must be between 0 and 1`);
  const alpha = 1 - level;
  // The two-sided p falls monotonically in t: bisect on a bracket that surely holds the answer.
  let lo = 0;
  let hi = 1;
  while (studentTTwoSidedP(hi, df) > alpha) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i += 1) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSidedP(mid, df) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
