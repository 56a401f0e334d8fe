// Strength of association, independent of sample size (unlike a p-value).
import { reduceTable } from './table-shape';

/**
 * Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))) from the uncorrected chi-square on the table
 * without empty rows and columns; for a 2-column table it is |φ|. Null when not testable.
 */
export function cramersV(uncorrectedChiSquare: number | null, counts: readonly (readonly number[])[]): number | null {
  if (uncorrectedChiSquare === null) return null;
  const table = reduceTable(counts);
  const k = Math.min(table.rows.length, table.columns.length) - 1;
  if (k < 1 || table.total === 0) return null;
  return Math.sqrt(uncorrectedChiSquare / (table.total * k));
}

/** Mutual information between row and column in bits: Σ p_ij log2(p_ij / (p_i· p_·j)); 0 for an empty or one-class table. */
export function mutualInformationBits(counts: readonly (readonly number[])[]): number {
  const table = reduceTable(counts);
  const n = table.total;
  if (n === 0) return 0;
  let mi = 0;
  table.counts.forEach((row, i) =>
    row.forEach((count, j) => {
      if (count === 0) return;
      mi += (count / n) * Math.log2((count * n) / (table.rowTotals[i] * table.columnTotals[j]));
    }),
  );
  // Rounding can leave -1e-17 for an independent table; MI is never negative.
  return Math.max(0, mi);
}
