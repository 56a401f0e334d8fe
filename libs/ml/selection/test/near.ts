import { expect } from 'vitest';

/** Relative error within `tolerance` (absolute below `floor`), with both values in the message. */
export function expectClose(actual: number | null, expected: number | null, tolerance = 1e-9, label = '', floor = 1e-300): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  const scale = Math.max(Math.abs(expected), floor);
  expect(Math.abs((actual as number) - expected) / scale, `${label}: actual ${actual} expected ${expected}`).toBeLessThanOrEqual(tolerance);
}
