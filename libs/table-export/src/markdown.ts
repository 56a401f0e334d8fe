// GitHub-flavoured Markdown: best row bold, rows a paired test cannot tell from it marked with †.
import { columnKind, fixed, formatScore, hasPaper, type ScoreTable } from './score-table';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

export function toMarkdown(table: ScoreTable): string {
  const digits = table.digits ?? 3;
  const paper = hasPaper(table);
  const header = [table.labelHeader, 'n', ...table.metrics];
  if (paper) header.push(`Paper (${table.metrics.join(' / ')})`);
  const align = [':---', '---:', ...table.metrics.map(() => '---:')];
  if (paper) align.push('---:');
  const lines = [`| ${header.map(escapeCell).join(' | ')} |`, `| ${align.join(' | ')} |`];
  for (const row of table.rows) {
    const bold = (text: string) => (row.best ? `**${text}**` : text);
    const label = `${row.label}${row.tiedWithBest ? ' †' : ''}`;
    const cells = [bold(escapeCell(label)), String(row.n), ...row.cells.map((c, i) => bold(formatScore(c ?? null, digits, '±', columnKind(table, i))))];
    if (paper) cells.push(row.paper ? row.paper.map((v) => (v === null ? '—' : fixed(v, digits))).join(' / ') : '—');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes = ['Mean ± half-width of the 95% confidence interval; **bold**: best.'];
  if (table.rows.some((r) => r.tiedWithBest)) notes.push('†: a paired test on the same test cases cannot tell it from the best (α = 0.05).');
  if (table.caption) notes.unshift(table.caption);
  return `${lines.join('\n')}\n\n${notes.join(' ')}\n`;
}
