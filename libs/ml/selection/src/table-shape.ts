// Rows and columns with no case carry no information about association, and they make expected
// counts of 0 (a division by zero in the chi-square sum). Every statistic is computed on the table
// without them; what was dropped is reported.
export interface ReducedTable {
  readonly counts: readonly (readonly number[])[];
  /** Indices (into the original table) of the rows and columns kept. */
  readonly rows: readonly number[];
  readonly columns: readonly number[];
  readonly rowTotals: readonly number[];
  readonly columnTotals: readonly number[];
  readonly total: number;
}

export function reduceTable(counts: readonly (readonly number[])[]): ReducedTable {
  const width = counts[0]?.length ?? 0;
  const rowSum = (row: readonly number[]) => row.reduce((a, b) => a + b, 0);
  const rows = counts.map((row, i) => ({ i, sum: rowSum(row) })).filter((r) => r.sum > 0).map((r) => r.i);
  const columns = Array.from({ length: width }, (_, j) => j).filter((j) => counts.some((row) => row[j] > 0));
  const reduced = rows.map((i) => columns.map((j) => counts[i][j]));
  const rowTotals = reduced.map(rowSum);
  const columnTotals = columns.map((_, j) => reduced.reduce((sum, row) => sum + row[j], 0));
  return { counts: reduced, rows, columns, rowTotals, columnTotals, total: rowTotals.reduce((a, b) => a + b, 0) };
}

/** Expected counts under independence: row total × column total / n. */
export function expectedCounts(table: ReducedTable): number[][] {
  return table.rowTotals.map((r) => table.columnTotals.map((c) => (r * c) / table.total));
}

/** A table with fewer than two non-empty rows or columns says nothing about association. */
export function isTestable(table: ReducedTable): boolean {
  return table.rows.length >= 2 && table.columns.length >= 2;
}
