// A sweep laid out like the paper's Table 2: one row per group of runs that differ only in seed or
// fold, each score as mean ± 95% t-interval over the group's runs, the best row by the chosen
// metric, and the rows a paired test on the same test cases cannot tell from it (α = 0.05):
// DeLong when the metric is the AUC of a two-class task, McNemar on correctness otherwise.
// Rule baselines (the IOTA Simple Rules, `ovus iota`) sit beside the networks, marked, with their
// coverage and the published figures; the best row is chosen among the networks only (the rules
// on labelled parameters are an upper bound, not a competitor), and each rule row is tested
// against it with McNemar's test on the cases the rules decided.
import { PAPER_TABLE2, TASKS, type TaskName } from '@ovus/domain';
import type { ScoreTable } from '@ovus/table-export';
import type { CasePredictionInput, MeanWithCi, MetricPoint, SweepGroupSummary } from '@ovus/tracking';
import { SCORE_NAMES, type ScoreName } from '../schemas';
import { ALPHA, comparePaired, type PairedComparison } from './paired-tests';
import { coverageOf, isRuleBaselineBackbone, PUBLISHED_RULES, PUBLISHED_RULES_TEXT } from './rule-baselines';

export interface GroupRun {
  id: string;
  name: string;
  seed: number;
  fold: number | null;
  config: unknown;
  /** The run's backbone (names the network a rule baseline read its parameters from). */
  backbone?: string;
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
  /** A rule baseline (the IOTA Simple Rules), not a network: never the best row; scored on the cases it decided. */
  ruleBaseline: boolean;
  /** Share of test cases the rules decided, with its 95% interval (null for networks: they decide every case). */
  coverage: MeanWithCi | null;
  /** The rules' published figures, where a network row has the paper's (rule rows only). */
  published: typeof PUBLISHED_RULES | null;
}

interface RuleConfig {
  kind?: string;
  source?: string;
  fromRun?: string | null;
  imageSize?: number;
}

/**
 * A row's label: the setting of a network; for a rule baseline, what it read its parameters
 * from — the labels, or the network run it was given (`fromRun`, when that run is at hand).
 */
export function rowLabel(config: unknown, backbone: string, runs: ReadonlyMap<string, GroupRun> = new Map()): string {
  if (!isRuleBaselineBackbone(backbone)) return settingLabel(config, backbone);
  const c = (config ?? {}) as RuleConfig;
  if (c.source === 'labels' || !backbone.includes('/')) return 'IOTA Simple Rules on labelled parameters';
  const from = c.fromRun ? runs.get(c.fromRun) : undefined;
  const network = from ? settingLabel(from.config, from.backbone ?? backbone.slice(backbone.indexOf('/') + 1)) : settingLabel(config, backbone.slice(backbone.indexOf('/') + 1));
  return `IOTA Simple Rules on parameters predicted by ${network}`;
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
  /** Latest metrics of the runs (the rule baselines' coverage); absent: no coverage shown. */
  latest: ReadonlyMap<string, readonly MetricPoint[]> = new Map(),
): BackboneRow[] {
  // Networks first (as the paper's table), the rule baselines after them.
  const ordered = [...groups.filter((g) => !isRuleBaselineBackbone(g.backbone)), ...groups.filter((g) => isRuleBaselineBackbone(g.backbone))];
  const rows: BackboneRow[] = ordered.map((g) => {
    const first = runs.get(g.runIds[0] as string);
    const rule = isRuleBaselineBackbone(g.backbone);
    return {
      groupKey: g.groupKey,
      backbone: g.backbone,
      label: rowLabel(first?.config, g.backbone, runs),
      n: g.n,
      runIds: g.runIds,
      scores: { accuracy: g.accuracy, precision: g.precision, recall: g.recall, f1: g.f1, auc: g.auc },
      best: false,
      tiedWithBest: null,
      pairedTest: null,
      paper: PAPER_TABLE2[g.backbone] ? { ...PAPER_TABLE2[g.backbone] } : null,
      ruleBaseline: rule,
      coverage: rule ? coverageOf(g.runIds, latest) : null,
      published: rule ? { ...PUBLISHED_RULES } : null,
    };
  });
  const value = (row: BackboneRow) => row.scores[options.metric]?.mean;
  let best: BackboneRow | null = null;
  for (const row of rows) {
    if (row.ruleBaseline) continue; // an upper bound or a reading of a network's output, not a competitor
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
    // A rule row: McNemar on the cases the rules decided, whatever the metric (hard verdicts have no AUC).
    const delong = useDelong && !row.ruleBaseline;
    const test = comparePaired(pairs, { nameA: row.label, nameB: best.label, codes, positiveCode, split: options.split, ...(row.ruleBaseline ? { hardVerdicts: { a: true, b: false } } : {}) });
    const pValue = delong ? test.delong?.pValue : test.mcnemar?.pValue;
    row.pairedTest = { ...test, method: delong ? 'delong' : 'mcnemar' };
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
      ...(row.ruleBaseline ? { ruleBaseline: true, coverage: row.coverage ? { mean: row.coverage.mean, lo: row.coverage.lo, hi: row.coverage.hi } : null, paperText: PUBLISHED_RULES_TEXT } : {}),
    })),
  };
}

export const SCORE_TITLES = TITLES;
