// Exact test of independence for an r × 2 table (every parameter × benign/malignant table has two
// columns): Fisher's exact test when r = 2, its Freeman–Halton extension otherwise. Conditional on
// both margins, the malignant column is multivariate hypergeometric; the two-sided p-value sums the
// probabilities of every table with the same margins that is no more probable than the observed one
// (relative tolerance 1e-7 for ties, as R's fisher.test). Hand-written: no installed package has
// it, and this library imports none (it sits beside @ovus/ml-metrics).
import { isTestable, reduceTable } from './table-shape';

export interface ExactTestResult {
  readonly testable: boolean;
  /** Two-sided p; null when not testable or when there were too many tables to enumerate. */
  readonly p: number | null;
  /** Tables with the observed margins that were enumerated. */
  readonly tables: number;
  /** Sample odds ratio (malignant:benign odds in row 2 over row 1) for 2 × 2 tables; null otherwise or when undefined. */
  readonly oddsRatio: number | null;
  /** Why p is null, when it is. */
  readonly note: string | null;
}

/** Beyond this many tables the enumeration is skipped (chi-square is then accurate anyway). */
export const EXACT_TABLE_LIMIT = 5_000_000;
const TIE_TOLERANCE = 1 + 1e-7;

export function exactTest(counts: readonly (readonly number[])[]): ExactTestResult {
  if (counts.some((row) => row.length !== 2)) throw new RangeError('exactTest: every row needs exactly two columns (benign, malignant).');
  const table = reduceTable(counts);
  if (!isTestable(table)) return { testable: false, p: null, tables: 0, oddsRatio: null, note: 'fewer than two non-empty rows or columns' };
  const rowTotals = table.rowTotals;
  const malignant = table.columnTotals[1];
  const n = table.total;
  const logFactorial = logFactorials(n);
  const logChoose = (a: number, b: number) => logFactorial[a] - logFactorial[b] - logFactorial[a - b];

  // The largest row is determined by the others: enumerate the rest.
  const order = rowTotals.map((_, i) => i).sort((a, b) => rowTotals[a] - rowTotals[b]);
  const free = order.slice(0, -1);
  const last = order[order.length - 1];
  const bound = free.reduce((product, i) => product * (Math.min(rowTotals[i], malignant) + 1), 1);
  const oddsRatio = table.counts.length === 2 ? sampleOddsRatio(table.counts) : null;
  if (bound > EXACT_TABLE_LIMIT) {
    return { testable: true, p: null, tables: 0, oddsRatio, note: `more than ${EXACT_TABLE_LIMIT} tables to enumerate; use the chi-square test` };
  }
  const logDenominator = logChoose(n, malignant);
  const observedRows = table.counts.map((row) => row[1]);
  const logObserved = observedRows.reduce((sum, x, i) => sum + logChoose(rowTotals[i], x), 0) - logDenominator;
  const threshold = logObserved + Math.log(TIE_TOLERANCE);

  let p = 0;
  let tables = 0;
  // Suffix capacities prune branches that cannot reach the malignant total.
  const capacity = free.map((_, k) => free.slice(k).reduce((sum, i) => sum + rowTotals[i], 0) + rowTotals[last]);
  const visit = (k: number, remaining: number, logProduct: number): void => {
    if (k === free.length) {
      if (remaining > rowTotals[last]) return;
      tables++;
      const logP = logProduct + logChoose(rowTotals[last], remaining) - logDenominator;
      if (logP <= threshold) p += Math.exp(logP);
      return;
    }
    const row = free[k];
    const restCapacity = capacity[k] - rowTotals[row];
    const lo = Math.max(0, remaining - restCapacity);
    const hi = Math.min(rowTotals[row], remaining);
    for (let x = lo; x <= hi; x++) visit(k + 1, remaining - x, logProduct + logChoose(rowTotals[row], x));
  };
  visit(0, malignant, 0);
  return { testable: true, p: Math.min(1, p), tables, oddsRatio, note: null };
}

function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
}

/** (d·a)/(b·c) for rows [a, b] and [c, d]: odds of malignancy in the second code over the first. */
function sampleOddsRatio(counts: readonly (readonly number[])[]): number | null {
  const [[a, b], [c, d]] = counts;
  const numerator = a * d;
  const denominator = b * c;
  if (denominator === 0) return numerator === 0 ? null : Number.POSITIVE_INFINITY;
  return numerator / denominator;
}
