// The association-only analysis of a published counts table (no runs).
import { CLINICAL_PARAMETERS, type ClinicalParameter } from '@ovus/domain';
import type { DatasetStatistics } from '@ovus/data';
import { runSelection, tableFromCounts, type SelectionResult, type SelectionThresholds } from '@ovus/ml-selection';

export function tablesFromStatistics(statistics: DatasetStatistics) {
  const given = CLINICAL_PARAMETERS.filter((p): p is ClinicalParameter => statistics.parameters[p] !== undefined);
  return given.map((p) => {
    const entry = statistics.parameters[p];
    const numeric = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([code, n]) => [Number(code), n]));
    return tableFromCounts(p, numeric(entry.benign), numeric(entry.malignant), entry.missing);
  });
}

export function selectFromCounts(statistics: DatasetStatistics, options: { thresholds?: Partial<SelectionThresholds>; continuityCorrection?: boolean } = {}): SelectionResult {
  return runSelection({
    tables: tablesFromStatistics(statistics),
    thresholds: options.thresholds,
    association: { continuityCorrection: options.continuityCorrection ?? true },
  });
}
