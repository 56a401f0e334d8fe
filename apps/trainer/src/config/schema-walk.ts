// Reading the shape of a zod schema: which keys an object at some path accepts (for "did you
// mean" and for checking grid keys), and a deep-partial copy (to check a config fragment such as
// a sweep's `base` on its own, so an error points at the fragment that holds it).
import { z } from 'zod';

/** Strips default/optional/nullable wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else {
      return current;
    }
  }
}

/** The object schema's fields, or null when the schema is not an object. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : null;
}

/** The schema of the field at `path` (object keys only), or null if there is no such field. */
export function fieldAt(schema: z.ZodType, path: readonly string[]): z.ZodType | null {
  let current: z.ZodType = schema;
  for (const key of path) {
    const shape = objectShape(current);
    if (!shape || !Object.hasOwn(shape, key)) return null;
    current = shape[key];
  }
  return current;
}

/** Keys accepted by the object at `path`, or [] when that is not an object. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const field = fieldAt(schema, path.filter((p): p is string => typeof p === 'string'));
  const shape = field ? objectShape(field) : null;
  return shape ? Object.keys(shape) : [];
}

/**
 * Every field optional at every depth, objects still strict, no defaults filled in and no
 * cross-field refinements: a fragment is checked for typos and types only.
 */
export function deepPartial(schema: z.ZodType): z.ZodType {
  const nullable = unwrapKeepsNull(schema);
  const inner = unwrap(schema);
  let result: z.ZodType = inner;
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, z.ZodType>;
    result = z.strictObject(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, deepPartial(v).optional()])));
  }
  return nullable ? result.nullable() : result;
}

function unwrapKeepsNull(schema: z.ZodType): boolean {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodNullable) return true;
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else return false;
  }
}
