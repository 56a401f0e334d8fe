// A sweep laid out like the paper's Table 2: one row per group of runs that differ only in seed or
// fold, each score as mean ± 95% t-interval over the group's runs, the best row by the chosen
// metric, and the rows a paired test on the same test cases cannot tell from it (α = 0.05):
// DeLong when the metric is the AUC of a two-class task, McNemar on correctness otherwise.
import { PAPER_TABLE2, TASKS, type TaskName } from '@ovus/domain';
import type { ScoreTable } from '@ovus/table-export';
import type { CasePredictionInput, MeanWithCi, SweepGroupSummary } from '@ovus/tracking';
import { SCORE_NAMES, type ScoreName } from '../schemas';
import { ALPHA, comparePaired, type PairedComparison } from './paired-tests';

export interface GroupRun {
  id: string;
  name: string;
  seed: number;
  fold: number | null;
  config: unknown;
}

export interface BackboneRow {
  groupKey: string | null;
  backbone: string;
  /** e.g. "mobilenet-v3-small ×0.25 64px". */
  label: string;
  n: number;
  runIds: string[];
  scores: Record<ScoreName, MeanWithCi | null>;
  best: boolean;
  /** null for the best row itself, and when no paired test was possible (see pairedTest.refused). */
  tiedWithBest: boolean | null;
  /** The paired test against the best row (null for the best row). */
  pairedTest: (PairedComparison & { method: 'mcnemar' | 'delong' }) | null;
  /** The paper's Table 2 figures when the row's backbone is one of its thirteen. */
  paper: { accuracy: number; precision: number; recall: number; f1: number } | null;
}

export function settingLabel(config: unknown, backbone: string): string {
  const c = config as { backboneOptions?: { widthMultiplier?: number }; imageSize?: number } | undefined;
  const width = c?.backboneOptions?.widthMultiplier;
  return `${backbone}${width && width !== 1 ? ` ×${width}` : ''}${c?.imageSize ? ` ${c.imageSize}px` : ''}`;
}

const bySeed = (a: GroupRun, b: GroupRun) => a.seed - b.seed || (a.fold ?? -1) - (b.fold ?? -1) || (a.id < b.id ? -1 : 1);

export function buildBackboneRows(
  groups: readonly SweepGroupSummary[],
  runs: ReadonlyMap<string, GroupRun>,
  predictions: ReadonlyMap<string, readonly CasePredictionInput[]>,
  options: { task: string; split: string; metric: ScoreName },
): BackboneRow[] {
  const rows: BackboneRow[] = groups.map((g) => {
    const first = runs.get(g.runIds[0] as string);
    return {
      groupKey: g.groupKey,
      backbone: g.backbone,
      label: settingLabel(first?.config, g.backbone),
      n: g.n,
      runIds: g.runIds,
      scores: { accuracy: g.accuracy, precision: g.precision, recall: g.recall, f1: g.f1, auc: g.auc },
      best: false,
      tiedWithBest: null,
      pairedTest: null,
      paper: PAPER_TABLE2[g.backbone] ? { ...PAPER_TABLE2[g.backbone] } : null,
    };
  });
  const value = (row: BackboneRow) => row.scores[options.metric]?.mean;
  let best: BackboneRow | null = null;
  for (const row of rows) {
    const v = value(row);
    if (v === undefined || Number.isNaN(v)) continue;
    if (best === null || v > (value(best) as number)) best = row;
  }
  if (!best) return rows;
  best.best = true;
  const definition = TASKS[options.task as TaskName];
  const codes = definition?.codes ?? [];
  const positiveCode = definition?.positiveCode ?? null;
  const useDelong = options.metric === 'auc' && positiveCode !== null;
  const groupRuns = (row: BackboneRow) => row.runIds.map((id) => runs.get(id)).filter((r): r is GroupRun => r !== undefined).sort(bySeed);
  const bestRuns = groupRuns(best);
  for (const row of rows) {
    if (row === best) continue;
    const mine = groupRuns(row);
    const pairs = mine.slice(0, bestRuns.length).map((run, i) => [predictions.get(run.id) ?? [], predictions.get((bestRuns[i] as GroupRun).id) ?? []] as const);
    const test = comparePaired(pairs, { nameA: row.label, nameB: best.label, codes, positiveCode, split: options.split });
    const pValue = useDelong ? test.delong?.pValue : test.mcnemar?.pValue;
    row.pairedTest = { ...test, method: useDelong ? 'delong' : 'mcnemar' };
    row.tiedWithBest = pValue === undefined ? null : pValue >= ALPHA;
  }
  return rows;
}

const TITLES: Record<ScoreName, string> = { accuracy: 'Accuracy', precision: 'Precision', recall: 'Recall', f1: 'F1', auc: 'AUC' };

/** The rows as the exports (CSV, Markdown, LaTeX) read them; the paper's figures for the four scores it reports. */
export function backboneScoreTable(rows: readonly BackboneRow[], caption: string): ScoreTable {
  return {
    labelHeader: 'Backbone',
    metrics: SCORE_NAMES.map((s) => TITLES[s]),
    caption,
    rows: rows.map((row) => ({
      label: row.label,
      n: row.n,
      cells: SCORE_NAMES.map((s) => (row.scores[s] ? { mean: row.scores[s].mean, lo: row.scores[s].lo, hi: row.scores[s].hi } : null)),
      best: row.best,
      tiedWithBest: row.tiedWithBest === true,
      paper: row.paper ? [row.paper.accuracy, row.paper.precision, row.paper.recall, row.paper.f1, null] : null,
    })),
  };
}

export const SCORE_TITLES = TITLES;
