import { describe, expect, it } from 'vitest';
import { delongTest, rocAuc } from '../src';
import { expectNear, expectRelative } from './near';
import reference from './reference/delong.json';

describe("DeLong's test (midrank algorithm) against a direct O(n²) implementation", () => {
  for (const c of reference.cases) {
    it(`${c.name} (n = ${c.yTrue.length})`, () => {
      const result = delongTest(c.yTrue, c.scoresA, c.scoresB, c.positive);
      const e = c.expected;
      expectNear(result.aucA, e.aucA, 1e-12, 'aucA');
      expectNear(result.aucB, e.aucB, 1e-12, 'aucB');
      expectNear(result.aucA, e.sklearnAucA, 1e-12, 'aucA vs sklearn');
      expectNear(result.difference, e.aucA - e.aucB, 1e-12, 'difference');
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) expectRelative(result.covariance[i][j], e.covariance[i][j], 1e-12, `cov[${i}][${j}]`);
      }
      expectRelative(result.variance, e.variance, 1e-12, 'variance');
      expectRelative(result.statistic, e.statistic, 1e-12, 'z');
      expectRelative(result.pValue, e.pValue, 1e-12, 'p');
    });
  }

  it('includes tied scores and non-0/1 class codes', () => {
    expect(reference.cases.map((c) => c.name)).toEqual(expect.arrayContaining(['ties', 'heavy-ties', 'positive-3-of-four-codes']));
  });
});

describe("DeLong's test conventions", () => {
  const c = reference.cases[0];

  it('swapping the models negates z and keeps p', () => {
    const ab = delongTest(c.yTrue, c.scoresA, c.scoresB, c.positive);
    const ba = delongTest(c.yTrue, c.scoresB, c.scoresA, c.positive);
    expectNear(ba.statistic, -ab.statistic, 1e-12);
    expectNear(ba.pValue, ab.pValue, 1e-12);
    expectNear(ba.variance, ab.variance, 1e-15);
  });

  it('the same scores twice: zero variance, statistic 0, p = 1', () => {
    const r = delongTest(c.yTrue, c.scoresA, c.scoresA, c.positive);
    expect(r.difference).toBe(0);
    expectNear(r.variance, 0, 1e-15);
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('AUCs match rocAuc', () => {
    const r = delongTest(c.yTrue, c.scoresA, c.scoresB, c.positive);
    expectNear(r.aucA, rocAuc(c.yTrue, c.scoresA, c.positive), 1e-12);
  });

  it('a single positive case contributes covariance 0 instead of NaN', () => {
    // One positive: its structural component has no spread estimate; only the negatives' counts.
    const r = delongTest([1, 0, 0, 0, 0], [0.9, 0.1, 0.5, 0.95, 0.3], [0.6, 0.2, 0.7, 0.1, 0.65], 1);
    expect(r.aucA).toBe(0.75);
    expect(r.aucB).toBe(0.5);
    // Negatives' V01 (positives above them): A [1, 1, 0, 1], B [1, 0, 1, 0]; sample (co)variances
    // over the 4 negatives are 1/4, -1/6, 1/3, each divided by n = 4.
    expectNear(r.covariance[0][0], 1 / 16, 1e-15);
    expectNear(r.covariance[0][1], -1 / 24, 1e-15);
    expectNear(r.covariance[1][1], 1 / 12, 1e-15);
    expectNear(r.variance, 1 / 16 + 1 / 12 + 2 / 24, 1e-15);
  });

  it('needs both classes and finite scores', () => {
    expect(() => delongTest([1, 1, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1], 1)).toThrow(/needs both classes: yTrue has 3 cases of positive class 1 and 0 others/);
    expect(() => delongTest([0, 1], [0.1, Number.NaN], [0.3, 0.2], 1)).toThrow(/scoresA\[1\] is NaN/);
  });
});
