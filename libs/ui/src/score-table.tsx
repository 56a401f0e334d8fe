// Scores with 95% intervals, one row per backbone group (the paper's Table 2) or per task (its
// Table 3). The best row of the chosen metric is bold; rows a paired test cannot tell from it are
// marked; the paper's published figure sits beside ours where there is one. Rule baselines (the
// IOTA Simple Rules) are marked as such, with a Coverage column: the share of cases they decided.
import type { ReactNode } from 'react';
import { formatMeanCi, formatScore, formatShare } from './format';

export interface MeanCi {
  mean: number;
  lo: number | null;
  hi: number | null;
}

export const SCORE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const;
export type ScoreMetric = (typeof SCORE_METRICS)[number];

export const SCORE_TITLES: Record<ScoreMetric, string> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  auc: 'AUC',
};

export interface ScoreRow {
  key: string;
  label: ReactNode;
  sublabel?: ReactNode;
  n?: number;
  scores: Partial<Record<ScoreMetric, MeanCi | null>>;
  /** The paper's figure for the chosen metric, when this row is one of its rows. */
  paper?: number | null;
  /** 'best': the best row; 'tie': a paired test cannot tell it from the best; 'worse': it can. */
  standing?: 'best' | 'tie' | 'worse' | null;
  /** Plain words on the paired test against the best row (shown as a tooltip and to screen readers). */
  standingNote?: string;
  /** A rule baseline, not a model: marked, and any such row adds the Coverage column. */
  ruleBaseline?: boolean;
  /** Share of cases the row decided, with its 95% interval (rule baselines). */
  coverage?: MeanCi | null;
  /** Published figures in words, in the paper column (a rule baseline's, where the paper's scores do not apply). */
  paperText?: string | null;
}

export interface ScoreTableProps {
  caption: string;
  rowHeader: string;
  rows: readonly ScoreRow[];
  metrics?: readonly ScoreMetric[];
  /** The metric the best row and the paper column refer to. */
  chosen: ScoreMetric;
  showN?: boolean;
  showPaper?: boolean;
  testId?: string;
}

export function ScoreTable({ caption, rowHeader, rows, metrics = SCORE_METRICS, chosen, showN = true, showPaper = true, testId }: ScoreTableProps) {
  const hasStanding = rows.some((r) => r.standing);
  const hasRules = rows.some((r) => r.ruleBaseline);
  return (
    <div className="ui-table-wrap">
      <table className="ui-table ui-score-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {showN ? (
              <th scope="col" className="num">
                n
              </th>
            ) : null}
            {metrics.map((m) => (
              <th key={m} scope="col" className={`num${m === chosen ? ' ui-chosen' : ''}`}>
                {SCORE_TITLES[m]}
              </th>
            ))}
            {hasRules ? (
              <th scope="col" className="num" title="Share of test cases a rule baseline decided (95% interval); networks decide every case">
                Coverage
              </th>
            ) : null}
            {showPaper ? (
              <th scope="col" className="num">
                Paper {SCORE_TITLES[chosen]}
              </th>
            ) : null}
            {hasStanding ? <th scope="col">vs best</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-row={row.key} data-rule-baseline={row.ruleBaseline ? 'true' : undefined} className={row.standing === 'best' ? 'ui-row-best' : row.ruleBaseline ? 'ui-row-rule' : undefined}>
              <th scope="row">
                {row.label}
                {row.ruleBaseline ? (
                  <>
                    {' '}
                    <span className="ui-rule-tag">rule baseline</span>
                  </>
                ) : null}
                {row.sublabel ? <span className="ui-sub">{row.sublabel}</span> : null}
              </th>
              {showN ? <td className="num">{row.n ?? '—'}</td> : null}
              {metrics.map((m) => {
                const s = row.scores[m];
                const text = s ? formatMeanCi(s.mean, s.lo, s.hi) : '—';
                return (
                  <td key={m} className={`num${m === chosen ? ' ui-chosen' : ''}`} data-metric={m} data-mean={s ? s.mean : undefined}>
                    {m === chosen && row.standing === 'best' ? <strong>{text}</strong> : text}
                  </td>
                );
              })}
              {hasRules ? (
                <td className="num" data-metric="coverage" data-mean={row.coverage ? row.coverage.mean : undefined}>
                  {row.coverage ? formatShare(row.coverage.mean, row.coverage.lo, row.coverage.hi) : row.ruleBaseline ? '—' : 'all'}
                </td>
              ) : null}
              {showPaper ? <td className={`num ui-paper${row.paperText ? ' ui-paper-text' : ''}`}>{row.paperText ? row.paperText : row.paper === null || row.paper === undefined ? '' : formatScore(row.paper)}</td> : null}
              {hasStanding ? (
                <td title={row.standingNote}>
                  <Standing standing={row.standing ?? null} />
                  {row.standingNote ? <span className="ui-visually-hidden">{row.standingNote}</span> : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Standing({ standing }: { standing: ScoreRow['standing'] }) {
  if (standing === 'best') return <span className="ui-standing ui-standing-best">best</span>;
  if (standing === 'tie') return <span className="ui-standing ui-standing-tie">≈ best (p ≥ 0.05)</span>;
  if (standing === 'worse') return <span className="ui-standing ui-standing-worse">worse (p &lt; 0.05)</span>;
  return <span className="ui-standing">no paired test</span>;
}
