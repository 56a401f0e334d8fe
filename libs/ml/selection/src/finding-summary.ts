// The figures stored beside each finding of an analysis (one row per parameter, for listing and
// charting without parsing the whole result), with the finding itself as its details.
import type { ParameterFinding, SelectionResult } from './analysis';

export interface FindingSummary {
  parameter: string;
  /** Cramér's V. */
  association: number | null;
  /** Holm-adjusted p of the association test. */
  associationP: number | null;
  /** The parameter's own F1, pooled over the runs. */
  predictability: number | null;
  /** Malignancy F1 with the head minus without it, and its interval. */
  ablationDelta: number | null;
  ablationLo: number | null;
  ablationHi: number | null;
  selected: boolean;
  details: ParameterFinding;
}

export function findingSummaries(result: SelectionResult): FindingSummary[] {
  return result.findings.map((f) => ({
    parameter: f.parameter,
    association: f.association.cramersV,
    associationP: f.association.pHolm,
    predictability: f.predictability?.pooled?.f1?.mean ?? null,
    ablationDelta: f.contribution?.removed?.f1?.mean ?? null,
    ablationLo: f.contribution?.removed?.f1?.lo ?? null,
    ablationHi: f.contribution?.removed?.f1?.hi ?? null,
    selected: f.selected,
    details: f,
  }));
}
