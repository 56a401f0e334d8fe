// Pearson's chi-square test of independence on an r × c counts table.
//
// Continuity correction: Yates' (each |observed − expected| shrunk by min(0.5, |observed −
// expected|)) on tables with one degree of freedom (2 × 2) when `continuityCorrection` is true,
// never on larger tables: SciPy's chi2_contingency and R's chisq.test do the same. The
// uncorrected statistic is always reported too: Cramér's V is defined from it.
import { chiSquareSf } from '@ovus/ml-metrics';
import { expectedCounts, isTestable, reduceTable } from './table-shape';

export interface ChiSquareResult {
  /** False when the table has fewer than two non-empty rows or columns: nothing can be tested. */
  readonly testable: boolean;
  /** The statistic the p-value belongs to (Yates-corrected when `correctionApplied`). */
  readonly statistic: number | null;
  readonly uncorrectedStatistic: number | null;
  readonly df: number | null;
  readonly p: number | null;
  readonly correctionApplied: boolean;
  /** Smallest expected count under independence (Cochran's rule wants every one ≥ 5 for the test to hold). */
  readonly minExpected: number | null;
  /** Rows/columns of the input dropped because they held no case. */
  readonly droppedRows: readonly number[];
  readonly droppedColumns: readonly number[];
}

export function chiSquareTest(counts: readonly (readonly number[])[], options: { continuityCorrection?: boolean } = {}): ChiSquareResult {
  const { continuityCorrection = true } = options;
  const table = reduceTable(counts);
  const droppedRows = counts.map((_, i) => i).filter((i) => !table.rows.includes(i));
  const droppedColumns = (counts[0] ?? []).map((_, j) => j).filter((j) => !table.columns.includes(j));
  if (!isTestable(table)) {
    return { testable: false, statistic: null, uncorrectedStatistic: null, df: null, p: null, correctionApplied: false, minExpected: null, droppedRows, droppedColumns };
  }
  const expected = expectedCounts(table);
  const df = (table.rows.length - 1) * (table.columns.length - 1);
  const correctionApplied = continuityCorrection && df === 1;
  let uncorrected = 0;
  let corrected = 0;
  let minExpected = Number.POSITIVE_INFINITY;
  table.counts.forEach((row, i) =>
    row.forEach((observed, j) => {
      const e = expected[i][j];
      minExpected = Math.min(minExpected, e);
      const diff = Math.abs(observed - e);
      uncorrected += (diff * diff) / e;
      const shrunk = diff - Math.min(0.5, diff);
      corrected += (shrunk * shrunk) / e;
    }),
  );
  const statistic = correctionApplied ? corrected : uncorrected;
  return { testable: true, statistic, uncorrectedStatistic: uncorrected, df, p: chiSquareSf(statistic, df), correctionApplied, minExpected, droppedRows, droppedColumns };
}
