// One entry point for the download buttons: a table and a format give the file's bytes, its name
// and its media type.
import { toCsv } from './csv';
import { toLatex } from './latex';
import { toMarkdown } from './markdown';
import type { ScoreTable } from './score-table';

export const EXPORT_FORMATS = ['csv', 'markdown', 'latex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  filename: string;
  mediaType: string;
  content: string;
}

const FORMATS: Record<ExportFormat, { extension: string; mediaType: string; format: (table: ScoreTable) => string }> = {
  csv: { extension: 'csv', mediaType: 'text/csv; charset=utf-8', format: toCsv },
  markdown: { extension: 'md', mediaType: 'text/markdown; charset=utf-8', format: toMarkdown },
  latex: { extension: 'tex', mediaType: 'application/x-tex; charset=utf-8', format: toLatex },
};

/** `basename` is made file-system safe (letters, digits, '.', '-', '_'). */
export function exportScoreTable(table: ScoreTable, format: ExportFormat, basename: string): ExportedFile {
  const spec = FORMATS[format];
  const safe = basename.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'table';
  return { filename: `${safe}.${spec.extension}`, mediaType: spec.mediaType, content: spec.format(table) };
}
