import { describe, expect, it } from 'vitest';
import { accuracy, bootstrapCi, bootstrapCis, createRandom, percentile, precisionRecallF1 } from '../src';
import { xoshiro128StarStar } from '../src/prng';
import { expectNear } from './near';
import reference from './reference/bootstrap.json';

const take = <T>(n: number, next: () => T): T[] => Array.from({ length: n }, next);

describe('seeded generator', () => {
  it('matches the published xoshiro128** vector from state 1, 2, 3, 4', () => {
    // Rust rand_xoshiro's test vector, produced with the reference C implementation v1.1.
    const published = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    const random = xoshiro128StarStar([1, 2, 3, 4]);
    expect(take(10, () => random.nextUint32())).toEqual(published);
    expect(reference.vectors.state1234).toEqual(published);
  });

  it('seeding and bounded integers match the Python re-implementation', () => {
    for (const { seed, uint32 } of reference.vectors.seeded) {
      const random = createRandom(seed);
      expect(take(uint32.length, () => random.nextUint32())).toEqual(uint32);
    }
    for (const { seed, n, values } of reference.vectors.nextInt) {
      const random = createRandom(seed);
      expect(take(values.length, () => random.nextInt(n))).toEqual(values);
    }
  });

  it('rejects seeds outside 32 bits', () => {
    expect(() => createRandom(-1)).toThrow(/seed must be an integer from 0 to 4294967295/);
    expect(() => createRandom(2 ** 32)).toThrow(RangeError);
    expect(() => createRandom(1.5)).toThrow(RangeError);
  });
});

describe('stratified percentile bootstrap against a NumPy/sklearn re-computation', () => {
  for (const c of reference.cases) {
    const options = { resamples: c.resamples, seed: c.seed, level: c.level };
    it(`${c.name}: accuracy and macro F1 intervals from caller metric functions`, () => {
      const pick = (values: readonly number[], cases: Uint32Array) => Array.from(cases, (i) => values[i]);
      const acc = bootstrapCi(c.yTrue, (cases) => accuracy(pick(c.yTrue, cases), pick(c.yPred, cases)), options);
      const expected = c.expected.single;
      expectNear(acc.estimate, expected.accuracy.estimate);
      expectNear(acc.lo, expected.accuracy.lo);
      expectNear(acc.hi, expected.accuracy.hi);
      expect(acc.resamples).toBe(c.resamples);

      const f1 = bootstrapCi(
        c.yTrue,
        (cases) => precisionRecallF1(pick(c.yTrue, cases), pick(c.yPred, cases), { classes: c.classes }).f1,
        options,
      );
      expectNear(f1.lo, expected.macroF1.lo);
      expectNear(f1.hi, expected.macroF1.hi);
    });
  }

  it('every replicate keeps each class count (stratified)', () => {
    const strata = [0, 0, 0, 0, 0, 0, 1, 1, 3];
    const counts: number[][] = [];
    bootstrapCi(
      strata,
      (cases) => {
        counts.push([0, 1, 3].map((code) => Array.from(cases).filter((i) => strata[i] === code).length));
        return 0;
      },
      { resamples: 50 },
    );
    // First call is the estimate on all cases; every later one a replicate.
    expect(counts).toHaveLength(51);
    for (const c of counts) expect(c).toEqual([6, 2, 1]);
  });

  it('is deterministic for a seed and changes with it', () => {
    const strata = reference.cases[0].yTrue;
    const statistic = (cases: Uint32Array) => cases.reduce((sum, i) => sum + (i % 7), 0) / cases.length;
    const a = bootstrapCi(strata, statistic, { seed: 3, resamples: 200 });
    expect(bootstrapCi(strata, statistic, { seed: 3, resamples: 200 })).toEqual(a);
    expect(bootstrapCi(strata, statistic, { seed: 4, resamples: 200 })).not.toEqual(a);
  });

  it('leaves undefined replicates out and reports how many were used', () => {
    let call = 0;
    const ci = bootstrapCi([0, 1, 0, 1], () => (call++ % 2 === 0 ? 0.5 : null), { resamples: 10 });
    // Call 0 is the estimate (0.5); replicates alternate null / 0.5.
    expect(ci).toEqual({ estimate: 0.5, lo: 0.5, hi: 0.5, resamples: 5 });
    const never = bootstrapCi([0, 1], () => Number.NaN, { resamples: 5 });
    expect(never).toEqual({ estimate: null, lo: null, hi: null, resamples: 0 });
  });

  it('computes several statistics on the same replicates', () => {
    const cis = bootstrapCis([0, 0, 1, 1, 1], (cases) => ({ first: cases[0], double: 2 * cases[0] }), { resamples: 100 });
    expect(cis.double.lo).toBe(2 * (cis.first.lo as number));
    expect(cis.double.hi).toBe(2 * (cis.first.hi as number));
  });

  it('uses 1000 resamples, seed 0 and 95 % by default', () => {
    let calls = 0;
    bootstrapCi([0, 1], () => calls++);
    expect(calls).toBe(1001);
  });

  it('percentile interpolates linearly between order statistics (NumPy default)', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 0.025)).toBeCloseTo(11, 12);
    expect(percentile([7], 0.975)).toBe(7);
  });

  it('rejects bad options', () => {
    expect(() => bootstrapCi([0, 1], () => 0, { resamples: 0 })).toThrow(/resamples is 0/);
    expect(() => bootstrapCi([0, 1], () => 0, { level: 95 })).toThrow(/level is 95/);
    expect(() => bootstrapCi([], () => 0)).toThrow(/strata is empty/);
    expect(() => bootstrapCi([0, Number.NaN], () => 0)).toThrow(/strata\[1\] is NaN/);
  });
});
