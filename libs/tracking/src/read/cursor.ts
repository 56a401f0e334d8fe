// Opaque keyset cursors: the sort key of the last row of a page, base64url JSON. A cursor that does
// not decode, or was made for another sort, is bad input (the caller pasted or edited it).
import { TrackingInputError } from '../errors';

export interface CursorPosition {
  /** Which sort the cursor belongs to, so a cursor is never applied to another order. */
  sort: string;
  /** The sort value as text (SQL casts it back), null when the row's value is null. */
  value: string | null;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.value, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new TrackingInputError(`cursor: '${cursor.slice(0, 40)}' is not a cursor returned by this list; start again without one`);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    (parsed[1] !== null && typeof parsed[1] !== 'string') ||
    typeof parsed[2] !== 'string'
  ) {
    throw new TrackingInputError('cursor: not a cursor returned by this list; start again without one');
  }
  if (parsed[0] !== sort) throw new TrackingInputError(`cursor: it belongs to the order '${parsed[0]}', not '${sort}'; start again without one`);
  return { sort, value: parsed[1], id: parsed[2] };
}

/** A value as cursor text: numbers keep NaN/±Infinity (PostgreSQL float8 reads them), dates ISO. */
export function cursorText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
