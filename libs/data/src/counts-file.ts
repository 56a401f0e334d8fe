// A published per-class counts table (the layout of the paper's dataset table) read from CSV, for
// the selection analysis when only counts exist. One row per parameter; the codes a parameter
// does not have are '-' (or empty):
//
//   parameter,benign_0,benign_1,benign_3,benign_4,malignant_0,malignant_1,malignant_3,malignant_4,missing
//   Blood flow signal,110,64,-,-,6,77,-,-,0
//
// `parameter` is the task name (blood_flow) or the paper's title (Blood flow signal); `missing`
// (optional) counts cases whose label was not recorded. Lines starting with '#' are comments.
// Every problem is reported at once, with the file's line number and the column.
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { CLINICAL_PARAMETERS, TASKS, isTaskName, type ClinicalParameter } from '@ovus/domain';
import type { DatasetStatistics } from './types';

const CODES = [0, 1, 3, 4] as const;
export const COUNTS_COLUMNS = ['parameter', ...(['benign', 'malignant'] as const).flatMap((g) => CODES.map((c) => `${g}_${c}`)), 'missing'] as const;

export interface CountsProblem {
  /** Line of the file (1-based), or null for the file as a whole. */
  readonly line: number | null;
  readonly column: string | null;
  readonly message: string;
}

export class CountsFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly CountsProblem[],
  ) {
    super(
      `${path}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the counts table:\n` +
        problems.map((p) => `  ${p.line === null ? 'file' : `line ${p.line}`}${p.column ? `, column '${p.column}'` : ''}: ${p.message}`).join('\n') +
        `\nExpected a CSV with the header ${COUNTS_COLUMNS.join(',')} ('missing' optional), one row per parameter; see configs/paper-dataset-counts.csv.`,
    );
    this.name = 'CountsFileError';
  }
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export async function readCountsFile(path: string): Promise<DatasetStatistics> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CountsFileError(path, [{ line: null, column: null, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  return parseCountsTable(text, path);
}

export function parseCountsTable(text: string, path = 'counts table'): DatasetStatistics {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, { info: true, comment: '#', relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as CsvRecord[];
  } catch (error) {
    const err = error as Error & { lines?: number };
    throw new CountsFileError(path, [{ line: err.lines ?? null, column: null, message: `not valid CSV: ${err.message}` }]);
  }
  const problems: CountsProblem[] = [];
  if (records.length === 0) throw new CountsFileError(path, [{ line: null, column: null, message: 'the file has no header and no rows' }]);
  const header = records[0].record.map((h) => h.toLowerCase());
  const headerLine = records[0].info.lines;
  for (const column of COUNTS_COLUMNS) {
    if (column !== 'missing' && !header.includes(column)) problems.push({ line: headerLine, column, message: `the header has no '${column}' column` });
  }
  header.forEach((h) => {
    if (!(COUNTS_COLUMNS as readonly string[]).includes(h)) problems.push({ line: headerLine, column: h, message: `unknown column; expected only ${COUNTS_COLUMNS.join(', ')}` });
  });
  if (problems.length) throw new CountsFileError(path, problems);

  const parameters: Partial<DatasetStatistics['parameters']> = {};
  const seenOn = new Map<ClinicalParameter, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const cell = (column: string) => record[header.indexOf(column)] ?? '';
    if (record.length !== header.length) {
      problems.push({ line, column: null, message: `has ${record.length} fields, the header ${header.length}` });
      continue;
    }
    const parameter = parameterOf(cell('parameter'));
    if (!parameter) {
      problems.push({ line, column: 'parameter', message: `'${cell('parameter')}' is not a clinical parameter; use one of ${CLINICAL_PARAMETERS.join(', ')} or the paper's titles (${CLINICAL_PARAMETERS.map((p) => TASKS[p].title).join(', ')})` });
      continue;
    }
    const earlier = seenOn.get(parameter);
    if (earlier !== undefined) {
      problems.push({ line, column: 'parameter', message: `${parameter} already has a row (line ${earlier})` });
      continue;
    }
    seenOn.set(parameter, line);
    const entry = { benign: {} as Record<string, number>, malignant: {} as Record<string, number>, missing: 0 };
    for (const group of ['benign', 'malignant'] as const) {
      for (const code of CODES) {
        const column = `${group}_${code}`;
        const raw = cell(column);
        const has = TASKS[parameter].codes.includes(code);
        if (raw === '-' || raw === '') {
          if (has) problems.push({ line, column, message: `${parameter} has code ${code} (${TASKS[parameter].classNames[TASKS[parameter].codes.indexOf(code)]}): give its count (0 if none)` });
          continue;
        }
        if (!has) {
          problems.push({ line, column, message: `${parameter} has no code ${code} (its codes are ${TASKS[parameter].codes.join(', ')}); write '-'` });
          continue;
        }
        const count = countOf(raw);
        if (count === null) problems.push({ line, column, message: `'${raw}' is not a count (a whole number ≥ 0)` });
        else entry[group][String(code)] = count;
      }
    }
    if (header.includes('missing') && cell('missing') !== '' && cell('missing') !== '-') {
      const count = countOf(cell('missing'));
      if (count === null) problems.push({ line, column: 'missing', message: `'${cell('missing')}' is not a count (a whole number ≥ 0)` });
      else entry.missing = count;
    }
    parameters[parameter] = entry;
  }
  if (seenOn.size === 0 && problems.length === 0) problems.push({ line: null, column: null, message: 'the table has a header but no parameter rows' });
  if (problems.length) throw new CountsFileError(path, problems);

  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const given = Object.values(parameters);
  return {
    classCounts: {
      benign: Math.max(...given.map((e) => total(e.benign))),
      malignant: Math.max(...given.map((e) => total(e.malignant))),
    },
    // Parameters without a row are absent: the analysis covers the rows given.
    parameters: parameters as DatasetStatistics['parameters'],
  };
}

function parameterOf(value: string): ClinicalParameter | null {
  const normalized = value.trim().toLowerCase();
  if (isTaskName(normalized) && normalized !== 'malignancy') return normalized;
  return CLINICAL_PARAMETERS.find((p) => TASKS[p].title.toLowerCase() === normalized) ?? null;
}

function countOf(raw: string): number | null {
  return /^\d+$/.test(raw) && Number(raw) <= Number.MAX_SAFE_INTEGER ? Number(raw) : null;
}
