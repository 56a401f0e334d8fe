// GitHub-flavoured Markdown: best row bold, rows a paired test cannot tell from it marked with †;
// a Coverage column when a rule baseline is among the rows.
import { columnKind, COVERAGE_NOTE, fixed, formatScore, hasPaper, hasRuleBaselines, type ScoreTable } from './score-table';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

export function toMarkdown(table: ScoreTable): string {
  const digits = table.digits ?? 3;
  const paper = hasPaper(table);
  const rules = hasRuleBaselines(table);
  const header = [table.labelHeader, 'n', ...table.metrics];
  if (rules) header.push('Coverage');
  if (paper) header.push(`Paper (${table.metrics.join(' / ')})`);
  const align = [':---', '---:', ...table.metrics.map(() => '---:')];
  if (rules) align.push('---:');
  if (paper) align.push('---:');
  const lines = [`| ${header.map(escapeCell).join(' | ')} |`, `| ${align.join(' | ')} |`];
  for (const row of table.rows) {
    const bold = (text: string) => (row.best ? `**${text}**` : text);
    const label = `${row.label}${row.tiedWithBest ? ' †' : ''}`;
    const cells = [bold(escapeCell(label)), String(row.n), ...row.cells.map((c, i) => bold(formatScore(c ?? null, digits, '±', columnKind(table, i))))];
    if (rules) cells.push(formatScore(row.coverage ?? null, digits));
    if (paper) cells.push(row.paperText ? escapeCell(row.paperText) : row.paper ? row.paper.map((v) => (v === null ? '—' : fixed(v, digits))).join(' / ') : '—');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes = ['Mean ± half-width of the 95% confidence interval; **bold**: best.'];
  if (table.rows.some((r) => r.tiedWithBest)) notes.push('†: a paired test on the same test cases cannot tell it from the best (α = 0.05).');
  if (rules) notes.push(COVERAGE_NOTE);
  if (table.caption) notes.unshift(table.caption);
  return `${lines.join('\n')}\n\n${notes.join(' ')}\n`;
}
