// A sweep's per-task scores laid out like the paper's Table 3: for each head the runs trained,
// accuracy, precision, recall and F1 (macro) on the test part, mean [95% t interval] over runs
// (seeds/folds), next to the paper's figures where it has them.
import { PAPER_TABLE3, TASKS, TASK_NAMES, isTaskName } from '@ovus/domain';
import type { MeanWithCi, TrackingDatabase } from '@ovus/tracking';
import { OVUS } from '../cli/command-line';

const SCORES = ['accuracy', 'precision', 'recall', 'f1'] as const;

export async function formatTaskTable(database: TrackingDatabase, sweepId: string): Promise<string> {
  const runs = await database.runs.list({ sweepId, status: 'finished', limit: 500 });
  if (runs.length === 0) return `No finished run in this sweep yet: train its runs with \`${OVUS} worker --until-idle\`.\n`;
  const tasks = TASK_NAMES.filter((t) => runs.some((r) => r.tasks.includes(t)));
  // Clinical parameters first, then malignancy (the paper's order: "Classification" last).
  const ordered = [...tasks.filter((t) => t !== 'malignancy'), ...tasks.filter((t) => t === 'malignancy')];
  const header = ['Multi-task', 'runs', 'Accuracy', 'Precision', 'Recall', 'F1-score', 'paper (acc / prec / rec / F1)'];
  const rows: string[][] = [];
  for (const task of ordered) {
    const groups = await database.sweeps.summarize(sweepId, { task, split: 'test', averaging: 'macro' });
    for (const group of groups) {
      const paper = isTaskName(task) ? PAPER_TABLE3[task] : undefined;
      rows.push([
        `${task === 'malignancy' ? 'Classification' : TASKS[task].title}${groups.length > 1 ? ` (${group.backbone})` : ''}`,
        String(group.n),
        ...SCORES.map((s) => cell(group[s])),
        paper ? SCORES.map((s) => paper[s].toFixed(3)).join(' / ') : '—',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`;
  return [
    line(header),
    ...rows.map(line),
    '',
    '  Test part, macro averages: mean [95% t interval, clipped to 0–1] over runs (seeds/folds); one run: its value alone.',
    "  paper: Table 3 (MobileNetV3-large on 257 real cases at 224 px; a phantom with tiny models gives other numbers).",
    '',
  ].join('\n');
}

function cell(score: MeanWithCi): string {
  // Scores live in [0, 1]; a t interval over two or three runs can reach past it.
  const clip = (v: number) => Math.min(1, Math.max(0, v)).toFixed(3);
  return score.lo === null || score.hi === null ? score.mean.toFixed(3) : `${score.mean.toFixed(3)} [${clip(score.lo)}, ${clip(score.hi)}]`;
}
