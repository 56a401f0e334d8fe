// The sweep's results as the paper's Table 2: per group of runs (a backbone setting over seeds and
// folds), mean ± 95% t-interval half-width of malignancy accuracy, precision, recall and F1 on the
// test part (macro averages), next to the paper's figures.
import { PAPER_TABLE2 } from '@ovus/domain';
import type { MeanWithCi, TrackingDatabase } from '@ovus/tracking';

const SCORES = ['accuracy', 'precision', 'recall', 'f1'] as const;

function cell(score: MeanWithCi): string {
  const half = score.lo === null || score.hi === null ? null : (score.hi - score.lo) / 2;
  return half === null ? score.mean.toFixed(3) : `${score.mean.toFixed(3)} ± ${half.toFixed(3)}`;
}

export async function formatBackboneTable(database: TrackingDatabase, sweepId: string): Promise<string> {
  const groups = await database.sweeps.summarize(sweepId, { task: 'malignancy', split: 'test', averaging: 'macro' });
  const runs = await database.runs.list({ sweepId, limit: 500 });
  const header = ['setting', 'runs', ...SCORES.map((s) => (s === 'f1' ? 'F1' : s)), 'paper (acc / prec / rec / F1)'];
  const rows: string[][] = [];
  for (const group of groups) {
    const first = await database.runs.get(group.runIds[0]);
    const paper = PAPER_TABLE2[group.backbone];
    rows.push([
      settingLabel(first?.config, group.backbone),
      String(group.n),
      ...SCORES.map((s) => cell(group[s])),
      paper ? SCORES.map((s) => paper[s].toFixed(3)).join(' / ') : '—',
    ]);
  }
  const widths = header.map((_, col) => Math.max(header[col].length, ...rows.map((r) => r[col].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const unfinished = runs.filter((r) => r.status !== 'finished');
  const notes = [
    'Malignancy on the test part: mean ± half-width of the 95% t-interval over runs (seeds/folds), macro averages;',
    "paper: Table 2 of the paper (real patients at 224 px — the demo trains tiny models on synthetic phantoms, so expect other numbers).",
  ];
  if (groups.some((g) => g.backbone.startsWith('iota-simple-rules'))) {
    notes.push('iota-simple-rules rows: the IOTA Simple Rules (ovus iota), scored on the test cases they decide only; their coverage is the run metric final/test/malignancy/coverage.');
  }
  if (unfinished.length > 0) {
    notes.push(`${unfinished.length} of ${runs.length} runs are not finished and are not counted: ${unfinished.map((r) => `${r.name} (${r.status})`).join('; ')}.`);
  }
  if (rows.length === 0) return `No finished run in this sweep yet.\n${notes.slice(2).join('\n')}\n`;
  return `${[line(header), ...rows.map(line), '', ...notes].map((l) => (l ? `  ${l}` : '')).join('\n')}\n`;
}

function settingLabel(config: unknown, backbone: string): string {
  const c = config as { backboneOptions?: { widthMultiplier?: number }; imageSize?: number } | undefined;
  const width = c?.backboneOptions?.widthMultiplier;
  return `${backbone}${width && width !== 1 ? ` ×${width}` : ''}${c?.imageSize ? ` ${c.imageSize}px` : ''}`;
}
