import { describe, expect, it } from 'vitest';
import { smoothValues } from './smoothing';

describe('smoothValues', () => {
  it('returns the series unchanged at weight 0', () => {
    expect(smoothValues([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });
  it('is bias-corrected: a constant series stays constant', () => {
    for (const v of smoothValues([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 10);
  });
  it('damps a spike and keeps non-finite values where they were', () => {
    const out = smoothValues([1, 1, 10, 1, Number.NaN, 1], 0.6);
    expect(out[2]).toBeLessThan(10);
    expect(out[2]).toBeGreaterThan(1);
    expect(Number.isNaN(out[4])).toBe(true);
    expect(out[5]).toBeLessThan(out[3]);
  });
});
