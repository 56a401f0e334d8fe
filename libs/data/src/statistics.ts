// The dataset table of the paper (counts of each parameter code among benign and malignant
// cases), computed from any list of cases, plus a text rendering of it.
import { CLINICAL_PARAMETERS, TASKS } from '@ovus/domain';
import type { CaseRecord, DatasetStatistics } from './types';

type LabelledCase = Pick<CaseRecord, 'labels' | 'malignancy'>;

export function computeStatistics(cases: readonly LabelledCase[]): DatasetStatistics {
  const zeroCounts = (codes: readonly number[]) => Object.fromEntries(codes.map((c) => [String(c), 0]));
  const parameters = Object.fromEntries(
    CLINICAL_PARAMETERS.map((p) => [
      p,
      { benign: zeroCounts(TASKS[p].codes), malignant: zeroCounts(TASKS[p].codes), missing: 0 },
    ]),
  ) as DatasetStatistics['parameters'];
  const classCounts = { benign: 0, malignant: 0 };
  for (const c of cases) {
    const group = c.malignancy === 1 ? 'malignant' : 'benign';
    classCounts[group]++;
    for (const p of CLINICAL_PARAMETERS) {
      const code = c.labels[p];
      if (code === null) parameters[p].missing++;
      else parameters[p][group][String(code)] = (parameters[p][group][String(code)] ?? 0) + 1;
    }
  }
  return { classCounts, parameters };
}

/** The statistics as a fixed-width table laid out like the paper's dataset table. */
export function formatStatistics(stats: DatasetStatistics): string {
  const codes = ['0', '1', '3', '4'];
  const header = ['Parameter', ...codes.map((c) => `B'${c}'`), ...codes.map((c) => `M'${c}'`), 'missing'];
  const rows = CLINICAL_PARAMETERS.map((p) => {
    const entry = stats.parameters[p];
    const cell = (counts: Record<string, number>, code: string) => (code in counts ? String(counts[code]) : '-');
    return [
      TASKS[p].title,
      ...codes.map((c) => cell(entry.benign, c)),
      ...codes.map((c) => cell(entry.malignant, c)),
      String(entry.missing),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `Benign: ${stats.classCounts.benign}  Malignant: ${stats.classCounts.malignant}`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
