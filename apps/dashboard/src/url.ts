// Query-string state: read a page's search parameters and write links that change one of them
// while keeping the rest, so every view stays a URL.
export type SearchParams = Record<string, string | string[] | undefined>;

export function one(params: SearchParams, name: string): string {
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export function many(params: SearchParams, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== '');
}

/** The path with `params`, after applying `changes` (undefined or '' removes a parameter). */
export function hrefWith(path: string, params: SearchParams, changes: Record<string, string | string[] | undefined> = {}): string {
  const query = new URLSearchParams();
  const merged: SearchParams = { ...params, ...changes };
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (v !== '') query.append(key, v);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Parameters to carry as hidden form fields (everything except what the form itself sets). */
export function keepParams(params: SearchParams, except: readonly string[]): Record<string, string[]> {
  const keep: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (except.includes(key) || value === undefined) continue;
    keep[key] = Array.isArray(value) ? value : [value];
  }
  return keep;
}
