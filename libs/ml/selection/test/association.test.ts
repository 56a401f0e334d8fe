import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAPER_LABEL_COUNTS, CLINICAL_PARAMETERS } from '@ovus/domain';
import { analyzeAssociation, chiSquareTest, cramersV, exactTest, holmAdjust, mutualInformationBits, tableFromCounts, tablesFromCases } from '../src';
import { expectClose } from './near';

interface ReferenceCase {
  name: string;
  table: number[][];
  chi2: number;
  chi2P: number;
  chi2Uncorrected: number;
  chi2UncorrectedP: number;
  df: number;
  minExpected: number;
  cramersV: number;
  miBits: number;
  exactP: number;
  oddsRatio?: number | 'inf';
  exactTables?: number;
}

const reference = JSON.parse(readFileSync(join(__dirname, 'reference', 'association.json'), 'utf8')) as {
  cases: ReferenceCase[];
  holm: { p: number[]; adjusted: number[] }[];
};

describe('association statistics against SciPy / scikit-learn / statsmodels', () => {
  for (const ref of reference.cases) {
    it(`${ref.name}: chi-square, exact test, Cramér's V, mutual information`, () => {
      const yates = chiSquareTest(ref.table, { continuityCorrection: true });
      const plain = chiSquareTest(ref.table, { continuityCorrection: false });
      expect(yates.df).toBe(ref.df);
      expect(yates.correctionApplied).toBe(ref.df === 1);
      expectClose(yates.statistic, ref.chi2, 1e-12, 'chi2 (Yates)', 1e-12);
      expectClose(yates.p, ref.chi2P, 1e-9, 'p (Yates)');
      expectClose(plain.statistic, ref.chi2Uncorrected, 1e-12, 'chi2', 1e-12);
      expectClose(plain.p, ref.chi2UncorrectedP, 1e-9, 'p');
      expectClose(yates.uncorrectedStatistic, ref.chi2Uncorrected, 1e-12, 'uncorrected chi2 kept', 1e-12);
      expectClose(yates.minExpected, ref.minExpected, 1e-12, 'min expected');
      const exact = exactTest(ref.table);
      expectClose(exact.p, ref.exactP, 1e-9, 'exact p');
      if (ref.exactTables !== undefined) expect(exact.tables).toBe(ref.exactTables);
      if (ref.oddsRatio === 'inf') expect(exact.oddsRatio).toBe(Number.POSITIVE_INFINITY);
      else if (ref.oddsRatio !== undefined) expectClose(exact.oddsRatio, ref.oddsRatio, 1e-12, 'odds ratio');
      expectClose(cramersV(plain.uncorrectedStatistic, ref.table), ref.cramersV, 1e-12, "Cramér's V", 1e-12);
      expectClose(mutualInformationBits(ref.table), ref.miBits, 1e-12, 'MI bits', 1e-12);
    });
  }

  it('Holm adjustment matches statsmodels', () => {
    for (const { p, adjusted } of reference.holm) {
      holmAdjust(p).forEach((value, i) => expectClose(value, adjusted[i], 1e-12, `holm[${i}]`));
    }
  });
});

describe('degenerate tables (hand-derived values)', () => {
  it('a zero row is dropped: same result as the table without it, and reported', () => {
    const withZero = chiSquareTest([[10, 4], [0, 0], [3, 9]]);
    const without = chiSquareTest([[10, 4], [3, 9]]);
    expect(withZero.droppedRows).toEqual([1]);
    expect(withZero.df).toBe(1);
    expect(withZero.statistic).toBe(without.statistic);
    expect(exactTest([[10, 4], [0, 0], [3, 9]]).p).toBe(exactTest([[10, 4], [3, 9]]).p);
  });

  it('a single class (no malignant case): nothing testable, V null, MI 0', () => {
    const table = [[30, 0], [12, 0]];
    const chi = chiSquareTest(table);
    expect(chi.testable).toBe(false);
    expect(chi.p).toBeNull();
    expect(chi.droppedColumns).toEqual([1]);
    expect(exactTest(table).p).toBeNull();
    expect(cramersV(chi.uncorrectedStatistic, table)).toBeNull();
    expect(mutualInformationBits(table)).toBe(0);
  });

  it('a single code (every case has the same parameter value): not testable', () => {
    const [row] = analyzeAssociation([tableFromCounts('boundary', { 0: 20 }, { 0: 7 })]);
    expect(row.p).toBeNull();
    expect(row.pHolm).toBeNull();
    expect(row.note).toMatch(/same code/);
    expect(row.mutualInformationBits).toBe(0);
  });

  it('perfect association in a 2 × 2: V = 1, MI = 1 bit, Fisher p = 2 / C(10, 5)', () => {
    const table = [[5, 0], [0, 5]];
    const chi = chiSquareTest(table, { continuityCorrection: false });
    // χ² = n for a perfect 2 × 2 table, so V = 1.
    expect(chi.statistic).toBeCloseTo(10, 12);
    expect(cramersV(chi.uncorrectedStatistic, table)).toBeCloseTo(1, 12);
    // MI = H(malignancy) = 1 bit when the parameter determines a 50/50 class.
    expect(mutualInformationBits(table)).toBeCloseTo(1, 12);
    // With these symmetric margins only the observed table and its mirror image (each 1 / C(10, 5)) are as extreme.
    expect(exactTest(table).p).toBeCloseTo(2 / 252, 14);
  });

  it('independent table: chi-square 0, p 1, V 0, MI 0', () => {
    const table = [[10, 5], [20, 10]];
    const chi = chiSquareTest(table, { continuityCorrection: false });
    expect(chi.statistic).toBeCloseTo(0, 12);
    expect(chi.p).toBeCloseTo(1, 12);
    expect(mutualInformationBits(table)).toBeCloseTo(0, 15);
    expect(exactTest(table).p).toBeCloseTo(1, 12);
  });
});

describe('analyzeAssociation', () => {
  const tables = CLINICAL_PARAMETERS.map((p) => tableFromCounts(p, PAPER_LABEL_COUNTS[p].benign, PAPER_LABEL_COUNTS[p].malignant));
  const rows = analyzeAssociation(tables);

  it("uses the exact test where an expected count is below 5 (echogenicity's isoechoic malignant cell: 4.2)", () => {
    const echo = rows.find((r) => r.parameter === 'echogenicity');
    expect(echo?.test).toBe('Freeman-Halton exact');
    expect(rows.find((r) => r.parameter === 'blood_flow')?.test).toBe('chi-square (Yates)');
  });

  it('Holm-adjusts the primary p-values over the seven', () => {
    const adjusted = holmAdjust(rows.map((r) => r.p));
    rows.forEach((r, i) => expect(r.pHolm).toBe(adjusted[i]));
    expect(rows.find((r) => r.parameter === 'papillary')?.pHolm).toBeGreaterThan(0.05);
  });

  it('leaves out and counts cases whose label is missing', () => {
    const cases = [
      { labels: { blood_flow: 1, boundary: null }, malignancy: 1 },
      { labels: { blood_flow: 0, boundary: 0 }, malignancy: 0 },
      { labels: { blood_flow: 0 }, malignancy: null },
    ];
    const byName = Object.fromEntries(tablesFromCases(cases).map((t) => [t.parameter, t]));
    expect(byName.blood_flow.counts).toEqual([[1, 0], [0, 1]]);
    expect(byName.blood_flow.missing).toBe(1);
    expect(byName.boundary.missing).toBe(2);
    expect(byName.echogenicity.missing).toBe(3);
  });

  it('refuses a code the parameter does not have, naming the case', () => {
    expect(() => tablesFromCases([{ labels: { echogenicity: 2 }, malignancy: 0 }])).toThrow(/case 1: echogenicity = 2/);
  });
});
