// A dataset version's labels laid out like the paper's dataset table: for every clinical
// parameter and class, how many benign and how many malignant cases carry it.
import { CLINICAL_PARAMETERS, TASKS } from '@ovus/domain';

export interface LabelStatistics {
  classCounts: { benign: number; malignant: number };
  parameters: Readonly<Record<string, { benign: Readonly<Record<string, number>>; malignant: Readonly<Record<string, number>>; missing: number }>>;
}

export function LabelTable({ statistics, caption = 'Labels by class' }: { statistics: LabelStatistics; caption?: string }) {
  const { benign, malignant } = statistics.classCounts;
  return (
    <div className="ui-table-wrap">
      <table className="ui-table ui-label-table" data-testid="label-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Class</th>
            <th scope="col" className="num">
              Benign (n = {benign})
            </th>
            <th scope="col" className="num">
              Malignant (n = {malignant})
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {CLINICAL_PARAMETERS.flatMap((p) => {
            const entry = statistics.parameters[p];
            if (!entry) return [];
            const task = TASKS[p];
            const rows = task.codes.map((code, i) => {
              const b = entry.benign[String(code)] ?? 0;
              const m = entry.malignant[String(code)] ?? 0;
              return (
                <tr key={`${p}-${code}`} className={i === 0 ? 'ui-group-start' : undefined} data-parameter={p} data-code={code}>
                  {i === 0 ? (
                    <th scope="rowgroup" rowSpan={task.codes.length + (entry.missing > 0 ? 1 : 0)}>
                      {task.title}
                    </th>
                  ) : null}
                  <td>
                    {task.classNames[i]} <span className="ui-muted">({code})</span>
                  </td>
                  <td className="num">{b}</td>
                  <td className="num">{m}</td>
                  <td className="num">{b + m}</td>
                </tr>
              );
            });
            if (entry.missing > 0) {
              rows.push(
                <tr key={`${p}-missing`}>
                  <td className="ui-muted">not labelled</td>
                  <td className="num" colSpan={3}>
                    {entry.missing}
                  </td>
                </tr>,
              );
            }
            return rows;
          })}
        </tbody>
      </table>
    </div>
  );
}
