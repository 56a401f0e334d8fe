// A dataset version's labels laid out like the paper's dataset table: for every clinical
// parameter and class, how many benign and how many malignant cases carry it — and, where given,
// the paper's counts beside them so a phantom or a new cohort can be read against the original.
export interface LabelRow {
  parameter: string;
  title: string;
  code: number;
  className: string;
  benign: number;
  malignant: number;
  paper?: { benign: number; malignant: number } | null;
}

export interface LabelTableProps {
  rows: readonly LabelRow[];
  classCounts: { benign: number; malignant: number };
  paperClassCounts?: { benign: number; malignant: number } | null;
  missing?: Readonly<Record<string, number>>;
  caption?: string;
}

export function LabelTable({ rows, classCounts, paperClassCounts, missing = {}, caption = 'Labels by class' }: LabelTableProps) {
  const groups = new Map<string, LabelRow[]>();
  for (const row of rows) groups.set(row.parameter, [...(groups.get(row.parameter) ?? []), row]);
  const paper = Boolean(paperClassCounts);
  return (
    <div className="ui-table-wrap">
      <table className="ui-table ui-label-table" data-testid="label-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Class</th>
            <th scope="col" className="num">
              Benign (n = {classCounts.benign})
            </th>
            <th scope="col" className="num">
              Malignant (n = {classCounts.malignant})
            </th>
            <th scope="col" className="num">
              Total
            </th>
            {paper ? (
              <th scope="col" className="num ui-paper">
                Paper B / M (n = {paperClassCounts?.benign} / {paperClassCounts?.malignant})
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {[...groups].flatMap(([parameter, classes]) => {
            const notLabelled = missing[parameter] ?? 0;
            const out = classes.map((row, i) => (
              <tr key={`${parameter}-${row.code}`} className={i === 0 ? 'ui-group-start' : undefined} data-parameter={parameter} data-code={row.code}>
                {i === 0 ? (
                  <th scope="rowgroup" rowSpan={classes.length + (notLabelled > 0 ? 1 : 0)}>
                    {row.title}
                  </th>
                ) : null}
                <td>
                  {row.className} <span className="ui-muted">({row.code})</span>
                </td>
                <td className="num">{row.benign}</td>
                <td className="num">{row.malignant}</td>
                <td className="num" data-total="">{row.benign + row.malignant}</td>
                {paper ? <td className="num ui-paper">{row.paper ? `${row.paper.benign} / ${row.paper.malignant}` : ''}</td> : null}
              </tr>
            ));
            if (notLabelled > 0) {
              out.push(
                <tr key={`${parameter}-missing`}>
                  <td className="ui-muted">not labelled</td>
                  <td className="num" colSpan={3}>
                    {notLabelled}
                  </td>
                  {paper ? <td /> : null}
                </tr>,
              );
            }
            return out;
          })}
        </tbody>
      </table>
    </div>
  );
}
