// The IOTA Simple Rules verdict for one case, with every B- and M-feature the rules used: its
// value (present / absent / unknown), whether it was assumed, and what it was decided from.
export type RuleVerdictKind = 'benign' | 'malignant' | 'inconclusive' | 'not-evaluable';

export interface RuleFeatureRow {
  feature: string;
  title: string;
  value: 'present' | 'absent' | 'unknown';
  /** For an unknown: a missing input, or something the parameters never record. */
  why: 'missing' | 'unobservable' | null;
  assumed: boolean;
  basis: string;
}

export interface RuleVerdictProps {
  verdict: RuleVerdictKind;
  title: string;
  ifUnknownAbsent: string;
  ifUnknownPresent: string;
  features: readonly RuleFeatureRow[];
}

const TONE: Record<RuleVerdictKind, string> = { benign: 'success', malignant: 'danger', inconclusive: 'warning', 'not-evaluable': 'neutral' };

function valueText(row: RuleFeatureRow): string {
  if (row.value !== 'unknown') return `${row.value}${row.assumed ? ' (assumed)' : ''}`;
  return row.why === 'missing' ? 'unknown (missing input)' : 'unknown (not recorded)';
}

export function RuleVerdict({ verdict, title, ifUnknownAbsent, ifUnknownPresent, features }: RuleVerdictProps) {
  return (
    <div className="ui-rules" data-testid="rule-verdict" data-verdict={verdict}>
      <p>
        <span className={`ui-badge ui-badge-${TONE[verdict]}`}>{verdict === 'not-evaluable' ? 'not evaluable' : verdict}</span> {title}
      </p>
      <p className="ui-muted">
        With the unknown features taken as absent the rules say {ifUnknownAbsent}; taken as present, {ifUnknownPresent}. A verdict is given only when both agree.
      </p>
      <div className="ui-table-wrap">
        <table className="ui-table" data-testid="rule-features">
          <caption>Features of the IOTA Simple Rules (Timmerman et al. 2008) as decided from the predicted parameters</caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Value</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {features.map((f) => (
              <tr key={f.feature} data-feature={f.feature} data-value={f.value}>
                <th scope="row">
                  {f.feature} <span className="ui-sub">{f.title}</span>
                </th>
                <td>{valueText(f)}</td>
                <td>{f.basis}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
