// Commander argument parsers that say what was wrong with the value.
import { InvalidArgumentError } from 'commander';

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a whole number of at least 1.`);
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`'${value}' is not a whole number of at least 0.`);
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${value}' is not a number of at least 0.`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`'${value}' is not a number greater than 0.`);
  return n;
}

/** A whole number of workers, or 'auto' (one per core on wasm/cpu, one per machine on native TensorFlow). */
export function concurrency(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : positiveInteger(value);
}

/** pg-boss polls at most every half second. */
export function pollInterval(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.5) throw new InvalidArgumentError(`'${value}' is not a number of seconds of at least 0.5.`);
  return n;
}
