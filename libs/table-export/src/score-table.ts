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
  /**
   * How each metric column's numbers are written (default 'score': `digits` decimals). 'p-value'
   * columns use formatPValue, so a p of 1e-12 is not written as 0.000.
   */
  columnKinds?: readonly ColumnKind[];
  /** A caption (LaTeX \caption, a Markdown line under the table). */
  caption?: string;
}

/** Half the interval's width; null when it has no bounds. */
export function halfWidth(score: MeanCi): number | null {
  if (score.lo === null || score.hi === null || !Number.isFinite(score.lo) || !Number.isFinite(score.hi)) return null;
  return (score.hi - score.lo) / 2;
}

export type ColumnKind = 'score' | 'p-value';

export function fixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  const text = value.toFixed(digits);
  return text === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : text; // no "-0.000"
}

/**
 * A p-value readable at any size: 3 decimals, or 2 significant digits in e-notation below 0.001
 * ("2.1e-12"; a number that spreadsheets and `Number()` read back). '—' when there is none.
 */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p < 0.001) return p.toExponential(1);
  return fixed(p, 3);
}

/** One number of a column, written as its kind says. */
export function formatValue(value: number, kind: ColumnKind, digits: number): string {
  return kind === 'p-value' ? formatPValue(value) : fixed(value, digits);
}

/** "0.718 ± 0.021", or "0.718" without an interval; `pm` is how ± is written. */
export function formatScore(score: MeanCi | null, digits = 3, pm = '±', kind: ColumnKind = 'score'): string {
  if (score === null) return '—';
  const half = halfWidth(score);
  const value = (v: number) => formatValue(v, kind, digits);
  return half === null ? value(score.mean) : `${value(score.mean)} ${pm} ${value(half)}`;
}

export function columnKind(table: ScoreTable, column: number): ColumnKind {
  return table.columnKinds?.[column] ?? 'score';
}

export function hasPaper(table: ScoreTable): boolean {
  return table.rows.some((r) => (r.paper && r.paper.some((v) => v !== null)) || Boolean(r.paperText));
}

/** Whether a Coverage column is needed: only tables with a rule baseline get one (others keep their bytes). */
export function hasRuleBaselines(table: ScoreTable): boolean {
  return table.rows.some((r) => r.ruleBaseline === true);
}

export const COVERAGE_NOTE = 'Coverage: share of test cases a rule baseline decided, with its 95% interval; its scores are on those cases only, and it is never the best row.';
