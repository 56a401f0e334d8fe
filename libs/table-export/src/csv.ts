// CSV (RFC 4180): numbers as numbers, so a spreadsheet or a script reads the table back exactly as
// shown (the same rounding): per metric its mean, interval bounds and half-width.
import { columnKind, fixed, formatValue, halfWidth, hasPaper, hasRuleBaselines, type ColumnKind, type MeanCi, type ScoreTable } from './score-table';

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: ScoreTable): string {
  const digits = table.digits ?? 3;
  const paper = hasPaper(table);
  const rules = hasRuleBaselines(table);
  const paperText = table.rows.some((r) => Boolean(r.paperText));
  const header = [table.labelHeader, 'n'];
  const withCi = (m: string) => [m, `${m} CI low`, `${m} CI high`, `${m} ± half-width`];
  for (const m of table.metrics) header.push(...withCi(m));
  if (rules) header.push(...withCi('Coverage'), 'rule baseline');
  header.push('best', 'not distinguishable from best');
  if (paper) header.push(...table.metrics.map((m) => `paper ${m}`));
  if (paperText) header.push('published figures');
  const lines = [header.map(quote).join(',')];
  const scoreCells = (score: MeanCi | null, kind: ColumnKind = 'score') => {
    if (score === null) return ['', '', '', ''];
    const half = halfWidth(score);
    const value = (v: number) => formatValue(v, kind, digits);
    return [value(score.mean), score.lo === null ? '' : value(score.lo), score.hi === null ? '' : value(score.hi), half === null ? '' : value(half)];
  };

  for (const row of table.rows) {
    const cells = [row.label, String(row.n)];
    for (let i = 0; i < table.metrics.length; i += 1) cells.push(...scoreCells(row.cells[i] ?? null, columnKind(table, i)));
    if (rules) cells.push(...scoreCells(row.coverage ?? null), row.ruleBaseline ? 'yes' : 'no');
    cells.push(row.best ? 'yes' : 'no', row.tiedWithBest ? 'yes' : 'no');
    if (paper) cells.push(...table.metrics.map((_, i) => (row.paper?.[i] == null ? '' : fixed(row.paper[i] as number, digits))));
    if (paperText) cells.push(row.paperText ?? '');
    lines.push(cells.map(quote).join(','));
  }
  return `${lines.join('\n')}\n`;
}
