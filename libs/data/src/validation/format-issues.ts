// A readable report of validation problems: a summary line, then one block per manifest row with
// a fixed-width table of its problems (severity, column, value, what is wrong, what was expected).
import { manifestFormatOf, type ManifestFormat } from '../manifest/read-manifest';
import type { DatasetIssue } from './issues';

const MAX_VALUE = 40;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface FormatIssuesOptions {
  manifestPath?: string;
  /** How rows are numbered; defaults to the manifest's extension (CSV when neither is known). */
  format?: ManifestFormat;
}

export function formatIssues(issues: readonly DatasetIssue[], options: FormatIssuesOptions = {}): string {
  if (issues.length === 0) return 'No problems found.';
  const format = options.format ?? (options.manifestPath ? manifestFormatOf(options.manifestPath) : null) ?? 'csv';
  // A JSONL manifest has no header: its rows are plain line numbers.
  const numbering = format === 'jsonl' ? 'rows are line numbers of the file' : 'rows count lines of the file; the CSV header is row 1';
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const rowsAffected = new Set(issues.filter((i) => i.row !== null).map((i) => i.row)).size;
  const lines = [
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')} on ${plural(rowsAffected, 'row')}` +
      (options.manifestPath ? ` in ${options.manifestPath}` : '') +
      ` (${numbering})`,
  ];

  const groups = new Map<number | null, DatasetIssue[]>();
  for (const item of issues) groups.set(item.row, [...(groups.get(item.row) ?? []), item]);
  const order = [...groups.keys()].sort((a, b) => (a ?? 0) - (b ?? 0));

  const columnWidth = Math.max(6, ...issues.map((i) => (i.column ?? '').length));
  const valueWidth = Math.min(MAX_VALUE, Math.max(5, ...issues.map((i) => (i.value ?? '').length)));
  for (const row of order) {
    lines.push('', row === null ? 'whole file' : `${format === 'jsonl' ? 'line' : 'row'} ${row}`);
    for (const item of groups.get(row) ?? []) {
      lines.push(
        [
          '  ',
          item.severity.padEnd(7),
          (item.column ?? '').padEnd(columnWidth),
          clip(item.value ?? '', MAX_VALUE).padEnd(valueWidth),
          item.message,
        ].join(' '),
      );
      lines.push(`${' '.repeat(13 + columnWidth + valueWidth)}expected: ${item.expected}`);
    }
  }
  return lines.join('\n');
}
