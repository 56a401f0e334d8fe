// A table of scores with confidence intervals — the backbone table (one row per group of runs) and
// the per-task table (one row per task) — as the three exports read it. Formatting is pure and
// locale-free (toFixed, '\n', a final newline), so the same table gives the same bytes anywhere:
// the server, the browser, a test.

/** A mean (or a single run's value) with the bounds of its 95% interval (null: not computed). */
export interface MeanCi {
  mean: number;
  lo: number | null;
  hi: number | null;
}

export interface ScoreTableRow {
  label: string;
  /** Runs (or cases) behind the row. */
  n: number;
  /** One per metric column; null: not defined for this row (e.g. AUC of a multi-class task). */
  cells: readonly (MeanCi | null)[];
  /** The best row by the chosen metric: bold. */
  best?: boolean;
  /** A paired test on the same test cases cannot tell this row from the best (α = 0.05). */
  tiedWithBest?: boolean;
  /** The paper's published figures for this row, one per metric column (null where it has none). */
  paper?: readonly (number | null)[] | null;
  /**
   * A rule baseline (e.g. the IOTA Simple Rules), not a model: it decides only some cases, its
   * scores are on those. Any such row adds a Coverage column (and, in CSV, a "rule baseline" one).
   */
  ruleBaseline?: boolean;
  /** Share of cases the row decided, with its 95% interval (rule baselines; null: not logged). */
  coverage?: MeanCi | null;
  /** Published figures in words, where the per-metric paper figures do not fit (a rule baseline's). */
  paperText?: string | null;
}

export interface ScoreTable {
  /** Header of the label column, e.g. 'Backbone' or 'Task'. */
  labelHeader: string;
  /** Metric column titles, e.g. ['Accuracy', 'Precision', 'Recall', 'F1', 'AUC']. */
  metrics: readonly string[];
  rows: readonly ScoreTableRow[];
  /** Decimal places (default 3, as the paper). */
  digits?: number;
  /** A caption (LaTeX \caption, a Markdown line under the table). */
  caption?: string;
}

/** Half the interval's width; null when it has no bounds. */
export function halfWidth(score: MeanCi): number | null {
  if (score.lo === null || score.hi === null || !Number.isFinite(score.lo) || !Number.isFinite(score.hi)) return null;
  return (score.hi - score.lo) / 2;
}

export function fixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  const text = value.toFixed(digits);
  return text === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : text; // no "-0.000"
}

/** "0.718 ± 0.021", or "0.718" without an interval; `pm` is how ± is written. */
export function formatScore(score: MeanCi | null, digits = 3, pm = '±'): string {
  if (score === null) return '—';
  const half = halfWidth(score);
  return half === null ? fixed(score.mean, digits) : `${fixed(score.mean, digits)} ${pm} ${fixed(half, digits)}`;
}

export function hasPaper(table: ScoreTable): boolean {
  return table.rows.some((r) => (r.paper && r.paper.some((v) => v !== null)) || Boolean(r.paperText));
}

/** Whether a Coverage column is needed: only tables with a rule baseline get one (others keep their bytes). */
export function hasRuleBaselines(table: ScoreTable): boolean {
  return table.rows.some((r) => r.ruleBaseline === true);
}

export const COVERAGE_NOTE = 'Coverage: share of test cases a rule baseline decided, with its 95% interval; its scores are on those cases only, and it is never the best row.';
