// A selection result as text: the ranked table (association, predictability, contribution), one
// sentence per parameter, the greedy path, the rule with its thresholds, and the paper's choice.
import { PAPER_SELECTED_PARAMETERS, TASKS } from '@ovus/domain';
import { type MeanInterval, type ParameterFinding, type SelectionResult } from '@ovus/ml-selection';
import { formatPValue } from '@ovus/table-export';

export interface FormatSelectionOptions {
  /** What the analysis ran on, e.g. "configs/paper-dataset-counts.csv" or "sweep demo (…)". */
  source: string;
}

export function formatSelection(result: SelectionResult, options: FormatSelectionOptions): string {
  const withRuns = result.findings.some((f) => f.predictability?.pooled || f.contribution?.removed || f.contribution?.alone);
  const header = ['rank', 'parameter', 'kept', 'counts benign | malignant', 'n', 'miss', 'test', 'p', 'Holm p', "Cramér's V", 'MI bits', 'min share'];
  if (withRuns) header.push('F1 [95% CI] / chance', 'AUC [95% CI]', 'ΔF1 head removed', 'ΔF1 head alone');
  const rows = result.findings.map((f) => {
    const a = f.association;
    const cells = [
      String(f.rank),
      f.title,
      f.selected ? 'yes' : 'no',
      countsCell(f),
      String(a.n),
      String(a.table.missing),
      a.test ?? '—',
      formatPValue(a.p),
      formatPValue(a.pHolm),
      a.cramersV === null ? '—' : a.cramersV.toFixed(3),
      a.mutualInformationBits.toFixed(4),
      a.minClassShare === null ? '—' : `${(a.minClassShare * 100).toFixed(1)}%`,
    ];
    if (withRuns) {
      const pooled = f.predictability?.pooled;
      cells.push(
        pooled?.f1 ? `${interval(pooled.f1)} / ${pooled.chanceF1 === null ? '—' : pooled.chanceF1.toFixed(2)}` : '—',
        pooled?.auc ? interval(pooled.auc) : '—',
        f.contribution?.removed?.f1 ? interval(f.contribution.removed.f1, true) : '—',
        f.contribution?.alone?.f1 ? interval(f.contribution.alone.f1, true) : '—',
      );
    }
    return cells;
  });
  const lines = [`Clinical-parameter selection on ${options.source}`, '', ...table(header, rows), ''];
  const byStrength = [...result.findings].filter((f) => f.association.cramersV !== null).sort((x, y) => y.association.cramersV! - x.association.cramersV!);
  lines.push(`By association strength alone (Cramér's V): ${byStrength.map((f) => `${f.title} ${f.association.cramersV!.toFixed(3)}`).join(' > ')}`, '');
  lines.push('Why:');
  for (const f of result.findings) lines.push(`  ${f.rank}. ${f.title}: ${f.reason}`);
  if (withRuns) lines.push('', ...backboneLines(result));
  if (result.greedy) lines.push('', ...greedyLines(result));
  lines.push('', ...result.ruleText);
  lines.push(
    `  Tests: chi-square ${result.continuityCorrection ? "with Yates' continuity correction on 2 × 2 tables" : 'without continuity correction'}; ` +
      "the exact test (Fisher for 2 × 2, Freeman–Halton for larger) gives p where an expected count is below 5; Holm over the parameters analysed.",
    '  ΔF1 = malignancy macro F1 with the head − without it (same setting, seed and fold); interval: t over seeds/folds.',
    '',
    `Selected (${result.selected.length}): ${result.selected.map((p) => TASKS[p].title).join(', ') || 'none'}`,
    `Paper's Table 3 selection: ${PAPER_SELECTED_PARAMETERS.map((p) => TASKS[p].title).join(', ')}` + agreement(result),
  );
  return `${lines.join('\n')}\n`;
}

function countsCell(f: ParameterFinding): string {
  const { codes, counts } = f.association.table;
  const part = (column: 0 | 1) => codes.map((c, i) => `${c}:${counts[i][column]}`).join(' ');
  return `${part(0)} | ${part(1)}`;
}

/** Mean [lo, hi]; a score's bounds are clipped to 0–1 (a t interval over two runs can pass them), a delta's to ±1. */
function interval(m: MeanInterval, signed = false): string {
  const v = (x: number) => `${signed && x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  const clip = (x: number) => Math.min(1, Math.max(signed ? -1 : 0, x));
  return m.lo === null || m.hi === null ? `${v(m.mean)} (n=${m.n})` : `${v(m.mean)} [${v(clip(m.lo))}, ${v(clip(m.hi))}]`;
}

function backboneLines(result: SelectionResult): string[] {
  const lines = ['Predictability per backbone setting (macro F1 on test, mean [95% CI] over runs; chance = permutation level):'];
  for (const f of result.findings) {
    const groups = f.predictability?.groups ?? [];
    if (groups.length === 0) continue;
    lines.push(`  ${f.title}: ${groups.map((g) => `${g.backbone} ${g.f1 ? interval(g.f1) : '—'} vs ${g.chanceF1 === null ? '—' : g.chanceF1.toFixed(2)}`).join('; ')}`);
  }
  return lines;
}

function greedyLines(result: SelectionResult): string[] {
  const greedy = result.greedy!;
  if (greedy.stop === 'no-start') return ['Greedy forward selection: not available (no malignancy-only runs; `trainer select plan` queues them).'];
  const lines = ['Greedy forward selection (malignancy F1, mean over runs):'];
  greedy.steps.forEach((s, i) => {
    const set = s.selected.length ? s.selected.map((p) => TASKS[p].title).join(' + ') : 'malignancy alone';
    lines.push(`  ${i}. ${set}: ${interval(s.f1)}${s.gain === null ? '' : `, gain ${s.gain >= 0 ? '+' : ''}${s.gain.toFixed(3)}`}`);
  });
  const why = {
    'no-gain': `stopped: no remaining parameter raises malignancy F1 by more than ${greedy.minGain}`,
    'all-added': 'stopped: every parameter added',
    'missing-runs': `stopped: the next step needs runs for ${greedy.missing.map((m) => `{malignancy${m.map((p) => ` + ${p}`).join('')}}`).join(', ')} — queue them with \`trainer select plan <sweep> --greedy\``,
    'no-start': '',
  }[greedy.stop];
  lines.push(`  ${why}`);
  return lines;
}

function agreement(result: SelectionResult): string {
  const ours = new Set(result.selected);
  const same = PAPER_SELECTED_PARAMETERS.length === ours.size && PAPER_SELECTED_PARAMETERS.every((p) => ours.has(p));
  return same ? ' — the same set.' : ' — differs.';
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`;
  return [line(header), ...rows.map(line)];
}
