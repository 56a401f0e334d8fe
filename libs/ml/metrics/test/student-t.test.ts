import { describe, expect, it } from 'vitest';
import { studentTCritical, studentTTwoSidedP } from '../src/index';

describe('studentTCritical', () => {
  it('matches published two-sided 95% and 99% critical values', () => {
    // Reference values from scipy.stats.t.ppf(0.975, df) and t.ppf(0.995, df).
    const table: [number, number, number][] = [
      [1, 0.95, 12.706204736174698],
      [2, 0.95, 4.302652729749464],
      [4, 0.95, 2.7764451051977934],
      [9, 0.95, 2.2621571628540993],
      [30, 0.95, 2.0422724563012373],
      [1000, 0.95, 1.9623390808264078],
      [5, 0.99, 4.032142983557536],
    ];
    for (const [df, level, expected] of table) expect(studentTCritical(df, level)).toBeCloseTo(expected, 8);
    expect(() => studentTCritical(0)).toThrow(/must be positive/);
  });

  it('inverts the two-sided p-value', () => {
    for (const df of [1, 3, 12]) expect(studentTTwoSidedP(studentTCritical(df, 0.9), df)).toBeCloseTo(0.1, 10);
  });
});
