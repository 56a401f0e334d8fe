// LaTeX with booktabs (\toprule, \midrule, \bottomrule), as journals want it: `mean $\pm$ half`,
// best row in \textbf, rows a paired test cannot tell from it marked with $^\dagger$; a Coverage
// column when a rule baseline is among the rows.
import { columnKind, COVERAGE_NOTE, fixed, formatScore, hasPaper, hasRuleBaselines, type ScoreTable } from './score-table';

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

export function escapeLatex(text: string): string {
  return text.replace(/[\\&%$#_{}~^]/g, (c) => SPECIAL[c] as string).replace(/±/g, '$\\pm$').replace(/×/g, '$\\times$');
}

export function toLatex(table: ScoreTable): string {
  const digits = table.digits ?? 3;
  const paper = hasPaper(table);
  const rules = hasRuleBaselines(table);
  const columns = `l r ${table.metrics.map(() => 'c').join(' ')}${rules ? ' c' : ''}${paper ? ' c' : ''}`;
  const header = [table.labelHeader, '$n$', ...table.metrics].map((h, i) => (i === 1 ? h : escapeLatex(h)));
  if (rules) header.push('Coverage');
  if (paper) header.push(`Paper (${escapeLatex(table.metrics.join(' / '))})`);
  const lines = ['\\begin{table}[ht]', '\\centering'];
  if (table.caption) lines.push(`\\caption{${escapeLatex(table.caption)}}`);
  lines.push(`\\begin{tabular}{${columns}}`, '\\toprule', `${header.join(' & ')} \\\\`, '\\midrule');
  for (const row of table.rows) {
    const bold = (text: string) => (row.best ? `\\textbf{${text}}` : text);
    const label = `${escapeLatex(row.label)}${row.tiedWithBest ? '$^\\dagger$' : ''}`;
    const cells = [bold(label), String(row.n), ...row.cells.map((c, i) => bold(formatScore(c ?? null, digits, '$\\pm$', columnKind(table, i)).replace('—', '--')))];
    if (rules) cells.push(formatScore(row.coverage ?? null, digits, '$\\pm$').replace('—', '--'));
    if (paper) cells.push(row.paperText ? escapeLatex(row.paperText) : row.paper ? row.paper.map((v) => (v === null ? '--' : fixed(v, digits))).join(' / ') : '--');
    lines.push(`${cells.join(' & ')} \\\\`);
  }
  lines.push('\\bottomrule', '\\end{tabular}');
  const notes = ['Mean $\\pm$ half-width of the 95\\% confidence interval; best in bold.'];
  if (table.rows.some((r) => r.tiedWithBest)) notes.push('$^\\dagger$: a paired test on the same test cases cannot tell it from the best ($\\alpha = 0.05$).');
  if (rules) notes.push(escapeLatex(COVERAGE_NOTE));
  lines.push(`\\par\\smallskip{\\footnotesize ${notes.join(' ')}}`, '\\end{table}');
  return `${lines.join('\n')}\n`;
}
