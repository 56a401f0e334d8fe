import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal values always serialise (and hash) the
 * same way whatever order their keys were built in. The project's one canonical form (dataset,
 * split and sweep hashes, run-config keys, checkpoint build checks), written out here rather than
 * through JSON.stringify of a re-sorted object, because an object puts integer-like keys ("10",
 * "9") first whatever order they were inserted in.
 *
 * Like JSON: an undefined (or function) property is left out, undefined in an array is null, a
 * value with toJSON (a Date) is serialised as what toJSON returns, NaN and ±Infinity are null.
 * Unlike JSON, any other non-plain object (Map, Set, a class instance, a typed array) is an error
 * instead of a silent {}: two different maps must not hash the same.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value) ?? 'null';
}

/** The canonical text, or undefined for what JSON leaves out of an object (undefined, functions). */
function serialise(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialise(withToJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => serialise(item) ?? 'null').join(',')}]`;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TypeError(`canonicalJson takes plain data; got a ${name}. Convert it to plain objects and arrays first.`);
  }
  const record = value as Record<string, unknown>;
  const fields: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = serialise(record[key]);
    if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${fields.join(',')}}`;
}
