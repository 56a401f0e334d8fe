import { expect } from 'vitest';

/** |actual - expected| <= tolerance, with a message that shows both values. */
export function expectNear(actual: number | null, expected: number | null, tolerance = 1e-9, label = ''): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  const diff = Math.abs((actual as number) - expected);
  expect(diff, `${label} actual ${actual} expected ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Relative error within `tolerance` (absolute below `floor`, where relative error is meaningless). */
export function expectRelative(actual: number, expected: number, tolerance: number, label = '', floor = 0): void {
  const scale = Math.max(Math.abs(expected), floor);
  const diff = Math.abs(actual - expected);
  expect(scale === 0 ? diff : diff / scale, `${label} actual ${actual} expected ${expected}`).toBeLessThanOrEqual(
    scale === 0 ? 0 : tolerance,
  );
}

export function expectAllNear(actual: readonly number[], expected: readonly number[], tolerance = 1e-9, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  actual.forEach((a, i) => expectNear(a, expected[i], tolerance, `${label}[${i}]`));
}
