import { describe, expect, it } from 'vitest';
import { mcnemarFromCounts, mcnemarTest, MCNEMAR_EXACT_BELOW } from '../src';
import { expectNear, expectRelative } from './near';
import reference from './reference/mcnemar.json';

describe("McNemar's test against statsmodels", () => {
  for (const c of reference.cases) {
    it(`${c.name}: discordant counts and all three variants`, () => {
      const exact = mcnemarTest(c.yTrue, c.predA, c.predB, { method: 'exact' });
      expect([exact.b, exact.c]).toEqual([c.b, c.c]);
      expect(exact.statistic).toBe(c.exact.statistic);
      expectRelative(exact.pValue, c.exact.pValue, 1e-12, 'exact p');
      expectRelative(exact.pValue, c.exactScipyBinomtest, 1e-12, 'exact p vs scipy binomtest');

      const corrected = mcnemarTest(c.yTrue, c.predA, c.predB, { method: 'chi2' });
      expectNear(corrected.statistic, c.chi2Corrected.statistic, 1e-12, 'corrected statistic');
      expectRelative(corrected.pValue, c.chi2Corrected.pValue, 1e-12, 'corrected p');

      const plain = mcnemarTest(c.yTrue, c.predA, c.predB, { method: 'chi2', correction: false });
      expectNear(plain.statistic, c.chi2Uncorrected.statistic, 1e-12, 'uncorrected statistic');
      expectRelative(plain.pValue, c.chi2Uncorrected.pValue, 1e-12, 'uncorrected p');
    });
  }

  for (const c of reference.counts) {
    it(`from counts b=${c.b}, c=${c.c}`, () => {
      const exact = mcnemarFromCounts(c.b, c.c, { method: 'exact' });
      expect(exact.statistic).toBe(c.exact.statistic);
      expectRelative(exact.pValue, c.exact.pValue, 1e-12, 'exact p');
      const plain = mcnemarFromCounts(c.b, c.c, { method: 'chi2', correction: false });
      expectRelative(plain.pValue, c.chi2Uncorrected.pValue, 1e-12, 'uncorrected p');
      const corrected = mcnemarFromCounts(c.b, c.c, { method: 'chi2' });
      if (c.b === c.c) {
        // The library follows R: no correction when b = c (statsmodels gives 1/(b+c) there).
        expect(corrected.statistic).toBe(0);
        expect(corrected.pValue).toBe(1);
        expect(c.chi2Corrected.statistic).toBeCloseTo(1 / (c.b + c.c), 12);
      } else {
        expectNear(corrected.statistic, c.chi2Corrected.statistic, 1e-12, 'corrected statistic');
        expectRelative(corrected.pValue, c.chi2Corrected.pValue, 1e-12, 'corrected p');
      }
    });
  }
});

describe("McNemar's test conventions", () => {
  it("'auto' is exact below 25 discordant pairs and chi-square (corrected) from 25", () => {
    expect(mcnemarFromCounts(10, 14).method).toBe('exact');
    expect(MCNEMAR_EXACT_BELOW).toBe(25);
    const large = reference.counts.find((c) => c.b + c.c >= 25 && c.b !== c.c);
    expect(large).toBeDefined();
    if (!large) return;
    const auto = mcnemarFromCounts(large.b, large.c);
    expect(auto.method).toBe('chi2');
    expectRelative(auto.pValue, large.chi2Corrected.pValue, 1e-12);
  });

  it('no discordant pair gives statistic 0 and p = 1 for both methods', () => {
    const predictions = [0, 1, 1, 0];
    for (const method of ['exact', 'chi2'] as const) {
      const r = mcnemarTest([0, 1, 0, 0], predictions, predictions, { method });
      expect([r.b, r.c, r.statistic, r.pValue]).toEqual([0, 0, 0, 1]);
    }
  });

  it('is symmetric in the two models', () => {
    const c = reference.cases[1];
    const ab = mcnemarTest(c.yTrue, c.predA, c.predB);
    const ba = mcnemarTest(c.yTrue, c.predB, c.predA);
    expect([ba.b, ba.c]).toEqual([ab.c, ab.b]);
    expect(ba.pValue).toBe(ab.pValue);
  });

  it('rejects mismatched inputs and invalid counts', () => {
    expect(() => mcnemarTest([0, 1], [0, 1], [0])).toThrow(/predB has 1 entries but yTrue has 2/);
    expect(() => mcnemarFromCounts(-1, 3)).toThrow(/count b is -1/);
    expect(() => mcnemarFromCounts(1.5, 3)).toThrow(/non-negative integer/);
  });
});
