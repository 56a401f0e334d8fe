// Reads a CSV or JSONL manifest into raw rows (values as written) and reports every problem with
// its columns. Values are checked later, column by column (see row-schema.ts).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { didYouMean } from '@ovus/domain';
import { isManifestColumn, MANIFEST_COLUMNS } from './columns';
import { issue, type DatasetIssue } from '../validation/issues';

export type ManifestFormat = 'csv' | 'jsonl';

export interface ManifestRow {
  /** 1-based line number (CSV: header = 1). */
  row: number;
  /** Known columns only, as written (CSV: strings; JSONL: any JSON value). */
  values: Partial<Record<string, unknown>>;
}

export interface ManifestReadResult {
  format: ManifestFormat | null;
  /** The known columns present in the file (JSONL: those every line should have). */
  columns: Set<string>;
  rows: ManifestRow[];
  issues: DatasetIssue[];
}

export function manifestFormatOf(path: string): ManifestFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return null;
}

export async function readManifest(manifestPath: string): Promise<ManifestReadResult> {
  const format = manifestFormatOf(manifestPath);
  const empty = (issues: DatasetIssue[]): ManifestReadResult => ({ format, columns: new Set(), rows: [], issues });
  if (format === null) {
    return empty([
      issue(
        'error',
        'manifest-format',
        { row: null, value: extname(manifestPath) || '(none)' },
        `The manifest '${manifestPath}' has an extension this importer does not read.`,
        'a .csv file (comma-separated, header row) or a .jsonl file (one JSON object per line)',
      ),
    ]);
  }
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    return empty([
      issue(
        'error',
        'manifest-unreadable',
        { row: null },
        `Cannot read the manifest '${manifestPath}': ${(error as Error).message}.`,
        'a readable manifest file; check the path',
      ),
    ]);
  }
  // One line-ending convention and no byte-order mark, so line numbers count the way editors do.
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const result = format === 'csv' ? readCsv(text) : readJsonl(text);
  if (result.rows.length === 0 && !result.issues.some((i) => i.severity === 'error')) {
    result.issues.push(
      issue('error', 'manifest-empty', { row: null }, 'The manifest lists no cases.', 'at least one case row'),
    );
  }
  return { format, ...result };
}

type Parsed = Omit<ManifestReadResult, 'format'>;

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

function unknownColumnIssue(row: number, name: string, where: string): DatasetIssue {
  return issue(
    'error',
    'unknown-column',
    { row, column: name, value: name },
    `Unknown ${where} '${name}'${didYouMean(name, MANIFEST_COLUMNS) || '.'}`,
    `one of: ${MANIFEST_COLUMNS.join(', ')}`,
  );
}

function missingColumnIssue(row: number, name: string, what: string): DatasetIssue {
  return issue(
    'error',
    'missing-column',
    { row, column: name },
    `Required ${what} '${name}' is missing.`,
    name === 'malignancy' || name === 'case_id' || name === 'patient_id' || name.endsWith('_path')
      ? `a '${name}' ${what} with a value on every row`
      : `a '${name}' ${what} (leave a cell empty, or null in JSONL, where the label is unknown)`,
  );
}

function readCsv(text: string): Parsed {
  const issues: DatasetIssue[] = [];
  let records: CsvRecord[];
  try {
    // With info and raw, csv-parse returns { record, raw, info } objects; its typings only know
    // the plain-array shape.
    records = parseCsv(text, { info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as CsvRecord[];
  } catch (error) {
    const err = error as Error & { lines?: number };
    return {
      columns: new Set(),
      rows: [],
      issues: [
        issue(
          'error',
          'manifest-syntax',
          { row: err.lines ?? null },
          `The CSV cannot be parsed: ${err.message}.`,
          'valid CSV: comma-separated fields, quotes closed on every row',
        ),
      ],
    };
  }
  if (records.length === 0) return { columns: new Set(), rows: [], issues };
  const written = untrimmedFields(text, records);

  const headerRecord = records[0];
  const header = headerRecord.record.map((h) => h.trim().toLowerCase());
  const headerRow = startLine(headerRecord);
  if (header.length === 1 && /[;\t]/.test(header[0])) {
    issues.push(
      issue(
        'error',
        'manifest-syntax',
        { row: headerRow, value: headerRecord.record[0] },
        'The header is one single field: the file seems to use semicolons or tabs between fields.',
        'commas between fields (re-export the spreadsheet as CSV with comma separators)',
      ),
    );
    return { columns: new Set(), rows: [], issues };
  }
  const columns = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') {
      issues.push(
        issue('error', 'unknown-column', { row: headerRow, column: `#${index + 1}` }, `Header field ${index + 1} is empty.`, 'a column name'),
      );
    } else if (!isManifestColumn(name)) {
      issues.push(unknownColumnIssue(headerRow, name, 'column'));
    } else if (columns.has(name)) {
      issues.push(
        issue('error', 'duplicate-column', { row: headerRow, column: name }, `Column '${name}' appears twice in the header.`, 'each column once'),
      );
    } else {
      columns.add(name);
    }
  });
  for (const name of MANIFEST_COLUMNS) if (!columns.has(name)) issues.push(missingColumnIssue(headerRow, name, 'column'));

  const rows: ManifestRow[] = [];
  for (const record of records.slice(1)) {
    const row = startLine(record);
    if (record.record.length !== header.length) {
      issues.push(
        issue(
          'error',
          'field-count',
          { row, value: `${record.record.length} fields` },
          `Row has ${record.record.length} fields but the header has ${header.length}; its values cannot be matched to columns.`,
          `${header.length} comma-separated fields (quote values that contain commas)`,
        ),
      );
      continue;
    }
    const values: Record<string, unknown> = {};
    const fields = written?.get(record) ?? record.record;
    header.forEach((name, index) => {
      if (columns.has(name)) values[name] = fields[index];
    });
    rows.push({ row, values });
  }
  return { columns, rows, issues };
}

/**
 * The fields as written, spaces included, so that validation can report the cells it had to
 * normalise. csv-parse only accepts spaces around a quoted field when it trims, so the untrimmed
 * reading is a second parse used only when it succeeds with the same shape (values are trimmed
 * cell by cell later either way).
 */
function untrimmedFields(text: string, trimmed: readonly CsvRecord[]): Map<CsvRecord, string[]> | null {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, { info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: false }) as unknown as CsvRecord[];
  } catch {
    return null;
  }
  if (records.length !== trimmed.length) return null;
  if (records.some((r, i) => r.record.length !== trimmed[i].record.length)) return null;
  return new Map(trimmed.map((r, i) => [r, records[i].record]));
}

/** csv-parse reports the line a record ends on; a quoted field may span lines, so count back. */
function startLine(record: CsvRecord): number {
  const body = record.raw.replace(/^\n+/, '').replace(/\n+$/, '');
  return record.info.lines - (body.match(/\n/g)?.length ?? 0);
}

function readJsonl(text: string): Parsed {
  const issues: DatasetIssue[] = [];
  const rows: ManifestRow[] = [];
  const columns = new Set<string>(MANIFEST_COLUMNS);
  // Key problems repeat on every line when a generator has a bug: report each key once, with
  // the lines it occurs on, instead of hundreds of identical issues.
  const unknownKeys = new Map<string, number[]>();
  const missingKeys = new Map<string, number[]>();
  text.split('\n').forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      issues.push(
        issue(
          'error',
          'manifest-syntax',
          { row: lineNumber, value: truncate(line) },
          `Line is not valid JSON: ${(error as Error).message}.`,
          'one JSON object per line',
        ),
      );
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      issues.push(
        issue('error', 'manifest-syntax', { row: lineNumber, value: truncate(line) }, 'Line is not a JSON object.', 'one JSON object per line'),
      );
      return;
    }
    const object = parsed as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const name = key.trim().toLowerCase();
      if (isManifestColumn(name)) values[name] = value;
      else pushTo(unknownKeys, key, lineNumber);
    }
    for (const name of MANIFEST_COLUMNS) if (!(name in values)) pushTo(missingKeys, name, lineNumber);
    rows.push({ row: lineNumber, values });
  });
  for (const [key, lines] of unknownKeys) {
    const problem = unknownColumnIssue(lines[0], key, 'key');
    issues.push({ ...problem, message: `${problem.message} (${describeLines(lines)})` });
  }
  for (const [key, lines] of missingKeys) {
    const problem = missingColumnIssue(lines[0], key, 'key');
    issues.push({ ...problem, message: `${problem.message} (${describeLines(lines)})` });
  }
  return { columns, rows, issues };
}

function pushTo(map: Map<string, number[]>, key: string, line: number): void {
  const list = map.get(key);
  if (list) list.push(line);
  else map.set(key, [line]);
}

function describeLines(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return lines.length === 1 ? `on line ${shown}` : `on ${lines.length} lines: ${shown}${lines.length > 5 ? ', …' : ''}`;
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
