// The settings where compared runs differ, one row per setting and one column per run; settings
// every run shares are left out (their count is said, so nothing looks missing).
export interface ConfigDiffRow {
  key: string;
  values: readonly (string | null)[];
}

/** Flattens nested config objects to dotted keys and keeps only the keys whose values differ. */
export function diffConfigs(configs: readonly unknown[]): { rows: ConfigDiffRow[]; same: number } {
  const flat = configs.map((c) => flatten(c));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const rows: ConfigDiffRow[] = [];
  let same = 0;
  for (const key of keys) {
    const values = flat.map((f) => f.get(key) ?? null);
    if (values.every((v) => v === values[0])) same++;
    else rows.push({ key, values });
  }
  return { rows, same };
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

export function ConfigDiff({ runs, rows, same }: { runs: readonly { label: string; href?: string }[]; rows: readonly ConfigDiffRow[]; same: number }) {
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
