// What validation reports: every problem found, each one a person can act on.

export type IssueCode =
  | 'manifest-unreadable'
  | 'manifest-format'
  | 'manifest-syntax'
  | 'manifest-empty'
  | 'unknown-column'
  | 'missing-column'
  | 'duplicate-column'
  | 'field-count'
  | 'invalid-value'
  | 'duplicate-case-id'
  | 'image-outside-root'
  | 'label-normalised'
  | 'image-missing'
  | 'image-unreadable'
  | 'image-empty'
  | 'image-unsupported'
  | 'image-format-mismatch'
  | 'image-corrupt'
  | 'image-too-large'
  | 'pair-same-image'
  | 'pair-size-mismatch'
  | 'duplicate-image'
  | 'patient-malignancy-conflict';

export type IssueSeverity = 'error' | 'warning';

export interface DatasetIssue {
  severity: IssueSeverity;
  code: IssueCode;
  /**
   * Where in the manifest, 1-based as a person counts lines: for CSV the header is row 1 and the
   * first case row 2 (a row with a quoted multi-line field is numbered by its first line); for
   * JSONL the line number. null when the problem concerns the whole file.
   */
  row: number | null;
  column: string | null;
  /** The offending value as written (null when there is none, e.g. a missing column). */
  value: string | null;
  /** What is wrong. */
  message: string;
  /** What was expected, or what to do about it. */
  expected: string;
}

export function issue(
  severity: IssueSeverity,
  code: IssueCode,
  where: { row: number | null; column?: string | null; value?: string | null },
  message: string,
  expected: string,
): DatasetIssue {
  return {
    severity,
    code,
    row: where.row,
    column: where.column ?? null,
    value: where.value ?? null,
    message,
    expected,
  };
}

/** File-level problems first, then by row, errors before warnings within a row. */
export function sortIssues(issues: readonly DatasetIssue[]): DatasetIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.row ?? 0) - (b.row ?? 0) ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/** "row 9", "rows 2, 5, 9", "rows 2, 5, 9, … (14 rows)": rows named the way a sentence reads. */
export function rowList(rows: readonly number[], max = 10): string {
  if (rows.length === 1) return `row ${rows[0]}`;
  const shown = rows.slice(0, max).join(', ');
  return rows.length > max ? `rows ${shown}, … (${rows.length} rows)` : `rows ${shown}`;
}
