// The run list `sweep --dry-run` prints: what will be trained, in order, and how runs group.
import type { ExpandedSweep } from '../config';

export function formatSweepPlan(sweep: ExpandedSweep): string {
  const groups = new Set(sweep.runs.map((r) => r.groupKey)).size;
  const header = `Sweep '${sweep.name}' in project '${sweep.project}': ${sweep.runs.length} run${sweep.runs.length === 1 ? '' : 's'} in ${groups} group${groups === 1 ? '' : 's'} (run configs ${sweep.runConfigsHash.slice(0, 12)})`;
  const rows = sweep.runs.map((r) => [
    String(r.index + 1),
    r.name,
    r.groupKey,
    r.config.tasks.length === 8 ? 'all' : r.config.tasks.join(','),
    String(r.config.epochs),
    String(r.config.batchSize),
  ]);
  const table = [['#', 'run', 'group', 'tasks', 'epochs', 'batch'], ...rows];
  const widths = table[0].map((_, col) => Math.max(...table.map((row) => row[col].length)));
  const lines = table.map((row) => row.map((cell, col) => (col === 0 ? cell.padStart(widths[col]) : cell.padEnd(widths[col]))).join('  ').trimEnd());
  return `${header}\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}
