// What differs between the configs of runs: every leaf as a dotted path, kept only where the runs
// disagree (a path missing from a run counts as a difference).

export interface ConfigDifference {
  path: string;
  /** One per run, as JSON text; null where the run's config lacks the path. */
  values: (string | null)[];
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [key, child] of entries) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix || '(config)', JSON.stringify(value));
}

export function configDiff(configs: readonly unknown[]): ConfigDifference[] {
  const flat = configs.map((config) => {
    const out = new Map<string, string>();
    flatten(config, '', out);
    return out;
  });
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const diff: ConfigDifference[] = [];
  for (const path of paths) {
    const values = flat.map((f) => f.get(path) ?? null);
    if (values.some((v) => v !== values[0])) diff.push({ path, values });
  }
  return diff;
}
