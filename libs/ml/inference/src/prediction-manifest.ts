// The batch form's input: a CSV with one pair per row (case_id optional, bmus, ceus), paths
// relative to the manifest's folder. Every row is checked before anything is predicted, and all
// problems are reported together with their row and column.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';

export interface ManifestPair {
  /** 1-based data row (the header is row 0). */
  row: number;
  caseId: string;
  bmus: string;
  ceus: string;
}

export class PredictionManifestError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`${path}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PredictionManifestError';
  }
}

export async function readPredictionManifest(path: string): Promise<ManifestPair[]> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new PredictionManifestError(absolute, [`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new PredictionManifestError(absolute, [`not a readable CSV: ${(error as Error).message}`]);
  }
  const columns = records.length > 0 ? Object.keys(records[0]) : text.split(/\r?\n/)[0].split(',').map((c) => c.trim().toLowerCase());
  const missing = ['bmus', 'ceus'].filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new PredictionManifestError(absolute, [`missing column(s) ${missing.join(', ')}; the header needs bmus and ceus (case_id optional), found: ${columns.join(', ') || '(none)'}`]);
  }
  if (records.length === 0) throw new PredictionManifestError(absolute, ['it has a header but no rows']);
  const root = dirname(absolute);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const pairs = records.map((record, i): ManifestPair => {
    const row = i + 1;
    const caseId = record.case_id || `row-${row}`;
    for (const column of ['bmus', 'ceus']) if (!record[column]) problems.push(`row ${row}, column ${column}: empty; give the image's path`);
    const earlier = seen.get(caseId);
    if (earlier !== undefined) problems.push(`row ${row}, column case_id: '${caseId}' repeats row ${earlier}`);
    seen.set(caseId, row);
    const at = (p: string) => (p ? (isAbsolute(p) ? p : join(root, p)) : '');
    return { row, caseId, bmus: at(record.bmus), ceus: at(record.ceus) };
  });
  if (problems.length > 0) throw new PredictionManifestError(absolute, problems);
  return pairs;
}
