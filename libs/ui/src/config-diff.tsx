// The settings where compared runs differ (the API computes which), one row per setting and one
// column per run; a value a run lacks reads "unset".
export interface ConfigDiffRow {
  key: string;
  values: readonly (string | null)[];
}

export function ConfigDiff({ runs, rows, same = 0 }: { runs: readonly { label: string; href?: string }[]; rows: readonly ConfigDiffRow[]; same?: number }) {
  return (
    <div className="ui-table-wrap">
      <table className="ui-table ui-config-diff" data-testid="config-diff">
        <caption>
          {rows.length === 0 ? 'The configurations are identical' : `${rows.length} setting${rows.length === 1 ? '' : 's'} differ`}
          {same > 0 ? `; ${same} shared setting${same === 1 ? '' : 's'} hidden` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            {runs.map((r) => (
              <th key={r.label} scope="col">
                {r.href ? <a href={r.href}>{r.label}</a> : r.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                <code>{row.key}</code>
              </th>
              {row.values.map((v, i) => (
                <td key={i}>{v === null ? <span className="ui-muted">unset</span> : <code>{v}</code>}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
