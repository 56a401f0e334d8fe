// The selection analysis as a score table for @ovus/table-export: one row per parameter in the
// analysis' rank order, the association, predictability and contribution figures as columns
// (means with their 95% intervals where the analysis has them), kept rows marked in the label.
import { TASKS, isTaskName } from '@ovus/domain';
import type { MeanCi, ScoreTable } from '@ovus/table-export';
import type { SelectionDetail, StoredInterval } from '@ovus/tracking';

export const SELECTION_COLUMNS = ["Cramér's V", 'MI (bits)', 'Holm p', 'F1', 'AUC', 'ΔF1 removed', 'ΔAUC removed'] as const;

const point = (value: number | null): MeanCi | null => (value === null || !Number.isFinite(value) ? null : { mean: value, lo: null, hi: null });
const ci = (value: StoredInterval | null): MeanCi | null => (value ? { mean: value.mean, lo: value.lo, hi: value.hi } : null);

export function parameterTitle(parameter: string): string {
  return isTaskName(parameter) ? TASKS[parameter].title : parameter;
}

export function selectionScoreTable(analysis: SelectionDetail): ScoreTable {
  return {
    labelHeader: 'Parameter',
    metrics: SELECTION_COLUMNS,
    columnKinds: ['score', 'score', 'p-value', 'score', 'score', 'score', 'score'],
    caption:
      `Clinical-parameter selection ${analysis.id.slice(0, 8)} (${analysis.method}): ` +
      `kept ${analysis.selected.map(parameterTitle).join(', ') || 'none'}. ` +
      'Association in the labelled cases; F1/AUC of the parameter\u2019s own head pooled over the runs; Δ: malignancy score with the head minus without it.',
    rows: analysis.findings.map((f) => ({
      label: `${parameterTitle(f.parameter)} (${f.selected ? 'kept' : 'dropped'})`,
      // Cases behind the association figures (the runs behind the others are linked on the page).
      n: f.association.n ?? 0,
      cells: [
        point(f.association.cramersV),
        point(f.association.mutualInformationBits),
        point(f.association.pHolm),
        ci(f.predictability?.f1 ?? null),
        ci(f.predictability?.auc ?? null),
        ci(f.removed?.f1 ?? null),
        ci(f.removed?.auc ?? null),
      ],
    })),
  };
}
