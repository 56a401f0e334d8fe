// The selection analysis, as the API returns it, turned into the rows and chart points the
// presentational components draw (libs/ui), with links to the runs behind each number.
import { shortId, type SelectionRunLink, type SelectionTableRow, type SelectionTimelinePoint } from '@ovus/ui';
import type { Caller } from '../server/api';

export type SelectionAnalysis = Awaited<ReturnType<Caller['selection']['get']>>;
export type SelectionTimelineData = Awaited<ReturnType<Caller['selection']['timeline']>>;

export const TIMELINE_SCORES = {
  cramersV: "Cramér's V (association)",
  f1: 'F1 of the parameter’s head (predictability)',
  auc: 'AUC of the parameter’s head (predictability)',
  f1Delta: 'ΔF1 of malignancy, head removed (contribution)',
} as const;
export type TimelineScore = keyof typeof TIMELINE_SCORES;

export function readTimelineScore(value: string): TimelineScore {
  return value in TIMELINE_SCORES ? (value as TimelineScore) : 'cramersV';
}

const runLinks = (ids: readonly string[]): SelectionRunLink[] => [...new Set(ids)].filter(Boolean).map((id) => ({ label: `run ${shortId(id)}`, href: `/runs/${id}` }));

export function selectionRows(analysis: SelectionAnalysis): SelectionTableRow[] {
  return analysis.findings.map((f) => {
    const mcnemar = (f.removed?.caseTests ?? []).map((t) => t.mcnemarP).filter((p): p is number => p !== null);
    return {
      parameter: f.parameter,
      title: f.title,
      rank: f.rank,
      selected: f.selected,
      inPaper: f.inPaper,
      reason: f.reason ?? '',
      n: f.association.n,
      missing: f.association.missing,
      test: f.association.test,
      p: f.association.p,
      pHolm: f.association.pHolm,
      cramersV: f.association.cramersV,
      mutualInformationBits: f.association.mutualInformationBits,
      f1: f.predictability?.f1 ?? null,
      auc: f.predictability?.auc ?? null,
      chanceF1: f.predictability?.chanceF1 ?? null,
      chanceAuc: f.predictability ? f.predictability.chanceAuc : null,
      f1Delta: f.removed?.f1 ?? null,
      aucDelta: f.removed?.auc ?? null,
      f1DeltaP: f.removed?.f1P ?? null,
      mcnemarP: mcnemar.length ? Math.min(...mcnemar) : null,
      predictabilityRuns: runLinks(f.predictability?.runIds ?? []),
      contributionRuns: runLinks((f.removed?.pairs ?? []).flatMap((p) => [p.withRun, p.withoutRun])),
    };
  });
}

export function timelinePoints(timeline: SelectionTimelineData, score: TimelineScore): SelectionTimelinePoint[] {
  return timeline.points.map((p) => ({ analysisId: p.analysisId, createdAt: p.createdAt, parameter: p.parameter, selected: p.selected, value: p[score] }));
}
