import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  chiSquareCdf,
  chiSquareSf,
  erf,
  erfc,
  logGamma,
  normalCdf,
  normalSf,
  regularizedGammaP,
  regularizedGammaQ,
} from '../src';
import { expectRelative } from './near';
import reference from './reference/special.json';

// Tolerances are relative: these functions reach 1e-300, where an absolute 1e-9 would say nothing.
describe('special functions against SciPy', () => {
  it('erf and erfc (Cody) to 1e-15 and 1e-14 relative, including the far tail', () => {
    for (const { x, erf: e, erfc: ec } of reference.erf) {
      expectRelative(erf(x), e, 1e-15, `erf(${x})`);
      expectRelative(erfc(x), ec, 1e-14, `erfc(${x})`);
    }
    expect(reference.erf.some((r) => r.erfc > 0 && r.erfc < 1e-300)).toBe(true);
  });

  it('normal CDF and upper tail', () => {
    for (const { x, cdf, sf } of reference.normal) {
      // Φ(x) = erfc(-x/√2)/2: the rounding of x/√2 alone costs about x²·1e-16 relative in the
      // tail (1.6e-13 at x = -27), so the bound widens with x².
      const tolerance = 1e-13 * Math.max(1, (x * x) / 100);
      expectRelative(normalCdf(x), cdf, tolerance, `cdf(${x})`);
      expectRelative(normalSf(x), sf, tolerance, `sf(${x})`);
    }
  });

  it('log-gamma', () => {
    for (const { x, value } of reference.logGamma) expectRelative(logGamma(x), value, 1e-14, `lnΓ(${x})`, 1);
  });

  it('regularized incomplete gamma P and Q', () => {
    for (const { a, x, p, q } of reference.gamma) {
      expectRelative(regularizedGammaP(a, x), p, 1e-12, `P(${a}, ${x})`, 1e-300);
      expectRelative(regularizedGammaQ(a, x), q, 1e-12, `Q(${a}, ${x})`, 1e-300);
    }
  });

  it('chi-square CDF and upper tail', () => {
    for (const { x, df, cdf, sf } of reference.chiSquare) {
      expectRelative(chiSquareCdf(x, df), cdf, 1e-12, `cdf(${x}; ${df})`, 1e-300);
      expectRelative(chiSquareSf(x, df), sf, 1e-12, `sf(${x}; ${df})`, 1e-300);
    }
  });

  it('binomial CDF', () => {
    for (const { k, n, p, cdf } of reference.binomialCdf) {
      expectRelative(binomialCdf(k, n, p), cdf, 1e-11, `P(X <= ${k}; ${n}, ${p})`, 1e-300);
    }
  });

  it('rejects arguments outside the domain', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => regularizedGammaP(-1, 1)).toThrow(/a > 0/);
    expect(() => chiSquareSf(1, 0)).toThrow(/degrees of freedom/);
    expect(() => binomialCdf(1, 2.5, 0.5)).toThrow(/non-negative integer/);
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
  });
});
