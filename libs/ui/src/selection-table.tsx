// The findings of one clinical-parameter selection analysis: one row per parameter in the
// analysis' rank order, grouped in three column bands — association with malignancy in the
// labels, predictability of the parameter from the images (vs chance), contribution to the
// malignancy head (removing the head from the all-task model) — then kept or dropped with the
// rule's one-sentence why, the paper's choice beside it, and links to the runs behind the numbers.
import type { ReactNode } from 'react';
import { formatPValue } from '@ovus/table-export';
import { formatMeanCi, formatScore } from './format';
import type { MeanCi } from './score-table';

export interface SelectionRunLink {
  /** What a screen reader and the tooltip say, e.g. "run 1a2b3c4d". */
  label: string;
  href: string;
}

export interface SelectionTableRow {
  parameter: string;
  title: string;
  rank: number | null;
  selected: boolean;
  inPaper: boolean;
  reason: string;
  /** Cases in the counts table and cases left out (label missing). */
  n: number | null;
  missing: number | null;
  test: string | null;
  p: number | null;
  pHolm: number | null;
  cramersV: number | null;
  mutualInformationBits: number | null;
  f1: MeanCi | null;
  auc: MeanCi | null;
  chanceF1: number | null;
  chanceAuc: number | null;
  /** Malignancy score with the head minus without it (paired by setting and replicate). */
  f1Delta: MeanCi | null;
  aucDelta: MeanCi | null;
  /** Paired t-test over replicates of ΔF1, and the smallest same-case McNemar p across pairs. */
  f1DeltaP: number | null;
  mcnemarP: number | null;
  predictabilityRuns: readonly SelectionRunLink[];
  contributionRuns: readonly SelectionRunLink[];
}

const ci = (v: MeanCi | null) => (v ? formatMeanCi(v.mean, v.lo, v.hi) : '—');

function Runs({ links }: { links: readonly SelectionRunLink[] }) {
  if (links.length === 0) return null;
  return (
    <span className="ui-run-links">
      <span className="ui-visually-hidden">Runs: </span>
      {links.map((l, i) => (
        // Numbered to keep the cell one line high; the run's id follows for screen readers (the
        // accessible name starts with the visible number, as axe's label-content rule wants).
        <a key={l.href} href={l.href} data-run-link={l.href} title={l.label}>
          {i + 1}
          <span className="ui-visually-hidden"> ({l.label})</span>
        </a>
      ))}
    </span>
  );
}

function Cell({ children, metric, value }: { children: ReactNode; metric: string; value?: number | null }) {
  return (
    <td className="num" data-metric={metric} data-value={value === null || value === undefined ? undefined : value}>
      {children}
    </td>
  );
}

export function SelectionTable({ rows, caption, testId = 'selection-table' }: { rows: readonly SelectionTableRow[]; caption: string; testId?: string }) {
  return (
    <div className="ui-table-wrap">
      <table className="ui-table ui-selection-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Parameter
            </th>
            <th scope="col" rowSpan={2}>
              Decision
            </th>
            <th scope="colgroup" colSpan={5}>
              Association with malignancy (labels)
            </th>
            <th scope="colgroup" colSpan={3}>
              Predictability from the images
            </th>
            <th scope="colgroup" colSpan={4}>
              Contribution to malignancy (head removed)
            </th>
            <th scope="col" rowSpan={2}>
              Paper
            </th>
          </tr>
          <tr>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              p
            </th>
            <th scope="col" className="num">
              Holm p
            </th>
            <th scope="col" className="num">
              Cramér&apos;s V
            </th>
            <th scope="col" className="num">
              MI (bits)
            </th>
            <th scope="col" className="num">
              F1
            </th>
            <th scope="col" className="num">
              AUC
            </th>
            <th scope="col" className="num">
              Chance F1 / AUC
            </th>
            <th scope="col" className="num">
              ΔF1
            </th>
            <th scope="col" className="num">
              ΔAUC
            </th>
            <th scope="col" className="num">
              Paired t p
            </th>
            <th scope="col" className="num">
              McNemar p
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.parameter} data-parameter={r.parameter} data-selected={r.selected ? 'kept' : 'dropped'} className={r.selected ? 'ui-row-best' : undefined}>
              <th scope="row">
                {r.rank !== null ? <span className="ui-sub">#{r.rank}</span> : null}
                {r.title}
              </th>
              <td className="ui-selection-why">
                <span className={`ui-standing ${r.selected ? 'ui-standing-best' : 'ui-standing-worse'}`}>{r.selected ? 'kept' : 'dropped'}</span>
                <span className="ui-sub">{r.reason}</span>
              </td>
              <Cell metric="n" value={r.n}>
                {r.n ?? '—'}
                {r.missing ? <span className="ui-sub">{r.missing} unlabelled left out</span> : null}
              </Cell>
              <Cell metric="p" value={r.p}>
                <span title={r.test ?? undefined}>{formatPValue(r.p)}</span>
                {r.test ? <span className="ui-sub">{r.test}</span> : null}
              </Cell>
              <Cell metric="pHolm" value={r.pHolm}>
                {formatPValue(r.pHolm)}
              </Cell>
              <Cell metric="cramersV" value={r.cramersV}>
                {formatScore(r.cramersV)}
              </Cell>
              <Cell metric="mi" value={r.mutualInformationBits}>
                {formatScore(r.mutualInformationBits)}
              </Cell>
              <Cell metric="f1" value={r.f1?.mean}>
                {ci(r.f1)}
                <Runs links={r.predictabilityRuns} />
              </Cell>
              <Cell metric="auc" value={r.auc?.mean}>
                {ci(r.auc)}
              </Cell>
              <Cell metric="chance">
                {formatScore(r.chanceF1)} / {formatScore(r.chanceAuc)}
              </Cell>
              <Cell metric="f1Delta" value={r.f1Delta?.mean}>
                {ci(r.f1Delta)}
                <Runs links={r.contributionRuns} />
              </Cell>
              <Cell metric="aucDelta" value={r.aucDelta?.mean}>
                {ci(r.aucDelta)}
              </Cell>
              <Cell metric="f1DeltaP" value={r.f1DeltaP}>
                {formatPValue(r.f1DeltaP)}
              </Cell>
              <Cell metric="mcnemarP" value={r.mcnemarP}>
                {formatPValue(r.mcnemarP)}
              </Cell>
              <td>{r.inPaper ? 'selected' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Our selected set beside the paper's, with what they share and where they differ. */
export function SelectionComparison({ ours, paper, titleOf }: { ours: readonly string[]; paper: readonly string[]; titleOf: (parameter: string) => string }) {
  const both = ours.filter((p) => paper.includes(p));
  const onlyOurs = ours.filter((p) => !paper.includes(p));
  const onlyPaper = paper.filter((p) => !ours.includes(p));
  const list = (items: readonly string[]) => (items.length ? items.map(titleOf).join(', ') : 'none');
  return (
    <dl className="ui-kv" aria-label="Selected sets" data-testid="selection-comparison">
      <div className="ui-kv-row">
        <dt>This analysis</dt>
        <dd data-set="ours">{list(ours)}</dd>
      </div>
      <div className="ui-kv-row">
        <dt>The paper (Table 3)</dt>
        <dd data-set="paper">{list(paper)}</dd>
      </div>
      <div className="ui-kv-row">
        <dt>In both</dt>
        <dd>{list(both)}</dd>
      </div>
      <div className="ui-kv-row">
        <dt>Only ours / only the paper&apos;s</dt>
        <dd>
          {list(onlyOurs)} / {list(onlyPaper)}
        </dd>
      </div>
    </dl>
  );
}
