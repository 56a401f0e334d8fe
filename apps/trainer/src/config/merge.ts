// Plain-data helpers for config fragments: deep merge (later wins, lists replaced) and setting a
// dotted path. Canonical JSON for hashing is @ovus/data's canonicalJson (one definition).

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepMerge(...layers: readonly unknown[]): PlainObject {
  const out: PlainObject = {};
  for (const layer of layers) {
    if (!isPlainObject(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
    }
  }
  return out;
}

/** { a: { b: value } } for 'a.b'. */
export function nestAt(path: readonly string[], value: unknown): PlainObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as PlainObject;
}
