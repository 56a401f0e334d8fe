// The one canonical JSON: sorted keys, JSON's treatment of undefined, and no silent {} for data
// that is not plain.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/index';

describe('canonicalJson', () => {
  it('sorts keys at every level, integer-like keys as strings too', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ 9: 'a', 10: 'b', x: 'c' })).toBe('{"10":"b","9":"a","x":"c"}');
  });

  it('treats undefined as JSON does: left out of objects, null in arrays', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('is the JSON text of plain data (parses back to an equal value)', () => {
    const value = { runs: [{ seed: 1, lr: 0.001, name: 'r"1' }], nested: { empty: {}, list: [] }, flag: false, none: null };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('serialises a Date as JSON does and refuses other non-plain objects', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
    expect(() => canonicalJson({ m: new Map([['a', 1]]) })).toThrow(/plain data; got a Map/);
    expect(() => canonicalJson(new Set([1]))).toThrow(/Set/);
  });
});
