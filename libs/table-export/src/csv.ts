// CSV (RFC 4180): numbers as numbers, so a spreadsheet or a script reads the table back exactly as
// shown (the same rounding): per metric its mean, interval bounds and half-width.
import { columnKind, fixed, formatValue, halfWidth, hasPaper, type ScoreTable } from './score-table';

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: ScoreTable): string {
  const digits = table.digits ?? 3;
  const paper = hasPaper(table);
  const header = [table.labelHeader, 'n'];
  for (const m of table.metrics) header.push(m, `${m} CI low`, `${m} CI high`, `${m} ± half-width`);
  header.push('best', 'not distinguishable from best');
  if (paper) header.push(...table.metrics.map((m) => `paper ${m}`));
  const lines = [header.map(quote).join(',')];
  for (const row of table.rows) {
    const cells = [row.label, String(row.n)];
    for (let i = 0; i < table.metrics.length; i += 1) {
      const score = row.cells[i] ?? null;
      if (score === null) {
        cells.push('', '', '', '');
        continue;
      }
      const half = halfWidth(score);
      const value = (v: number) => formatValue(v, columnKind(table, i), digits);
      cells.push(value(score.mean), score.lo === null ? '' : value(score.lo), score.hi === null ? '' : value(score.hi), half === null ? '' : value(half));
    }
    cells.push(row.best ? 'yes' : 'no', row.tiedWithBest ? 'yes' : 'no');
    if (paper) cells.push(...table.metrics.map((_, i) => (row.paper?.[i] == null ? '' : fixed(row.paper[i] as number, digits))));
    lines.push(cells.map(quote).join(','));
  }
  return `${lines.join('\n')}\n`;
}
