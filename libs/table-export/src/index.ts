export { formatPValue, formatScore, halfWidth, type ColumnKind, type MeanCi, type ScoreTable, type ScoreTableRow } from './score-table';
export { toCsv } from './csv';
export { toMarkdown } from './markdown';
export { toLatex } from './latex';
export { exportScoreTable, EXPORT_FORMATS, type ExportFormat, type ExportedFile } from './export';
