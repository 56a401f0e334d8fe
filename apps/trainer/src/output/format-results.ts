// A run's final scores as a short table: per task, test accuracy and macro F1 with their 95%
// bootstrap intervals, and the validation F1 that chose the epoch.
import { TASK_NAMES } from '@ovus/domain';
import type { TrainingOutcome } from '@ovus/ml-training';

export function formatRunResults(outcome: TrainingOutcome): string {
  const rows: string[][] = [];
  const ci = (value: number, lo: number | null | undefined, hi: number | null | undefined) =>
    lo === null || lo === undefined || hi === null || hi === undefined ? value.toFixed(3) : `${value.toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
  for (const task of TASK_NAMES) {
    const test = outcome.results.test[task];
    if (!test) continue;
    const validation = outcome.results.validation[task];
    rows.push([task, String(test.n), ci(test.accuracy, test.ci?.accuracy.lo, test.ci?.accuracy.hi), ci(test.f1, test.ci?.f1.lo, test.ci?.f1.hi), validation ? validation.f1.toFixed(3) : '—']);
  }
  const header = ['task', 'n', 'test accuracy [95% CI]', 'test macro F1 [95% CI]', 'validation F1'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`;
  const epoch = `epoch ${outcome.selectedEpoch} of ${outcome.epochsCompleted}${outcome.stoppedEarly ? ' (stopped early)' : ''}`;
  return `Scores of the selected model (${epoch}, chosen on validation ${outcome.selection.metric}):\n${[header, ...rows].map(line).join('\n')}\n`;
}
