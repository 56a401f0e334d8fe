// Shared input checks. Metrics run at the end of long training runs, so a bad input must fail
// with a message that says which argument, which position and what to do about it.
import { MetricInputError } from './errors';
import type { ClassCode, Labels, ProbabilityMatrix, Scores } from './types';

/** Checks the class list and returns a code → column index lookup. */
export function indexClasses(classes: readonly ClassCode[], argument = 'classes'): Map<ClassCode, number> {
  if (classes.length === 0) {
    throw new MetricInputError(`${argument} is empty: pass the task's class codes, e.g. [0, 1].`);
  }
  const index = new Map<ClassCode, number>();
  classes.forEach((code, i) => {
    if (!Number.isFinite(code)) {
      throw new MetricInputError(`${argument}[${i}] is ${String(code)}: class codes must be finite numbers.`);
    }
    if (index.has(code)) {
      throw new MetricInputError(`${argument} lists class ${code} twice (positions ${index.get(code)} and ${i}).`);
    }
    index.set(code, i);
  });
  return index;
}

/** Maps labels to column indices, rejecting any code outside the class list. */
export function labelIndices(
  labels: Labels,
  classIndex: ReadonlyMap<ClassCode, number>,
  argument: string,
): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const column = classIndex.get(labels[i]);
    if (column === undefined) {
      throw new MetricInputError(
        `${argument}[${i}] = ${String(labels[i])} is not one of the classes [${[...classIndex.keys()].join(', ')}]: ` +
          `fix the label or add the code to the class list.`,
      );
    }
    out[i] = column;
  }
  return out;
}

export function requireNonEmpty(length: number, argument: string): void {
  if (length === 0) {
    throw new MetricInputError(`${argument} is empty: a metric needs at least one case.`);
  }
}

export function requireSameLength(expected: number, actual: number, argument: string, reference: string): void {
  if (expected !== actual) {
    throw new MetricInputError(
      `${argument} has ${actual} entries but ${reference} has ${expected}: they must describe the same cases in the same order.`,
    );
  }
}

export function requireFiniteScores(scores: Scores, argument: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new MetricInputError(
        `${argument}[${i}] is ${String(scores[i])}: scores must be finite numbers. ` +
          `A NaN usually means the model diverged; check the run's loss.`,
      );
    }
  }
}

/** Checks an n × k probability matrix: every row has k finite entries. */
export function requireProbabilityMatrix(probabilities: ProbabilityMatrix, rows: number, columns: number): void {
  requireSameLength(rows, probabilities.length, 'probabilities', 'yTrue');
  for (let i = 0; i < probabilities.length; i++) {
    const row = probabilities[i];
    if (row.length !== columns) {
      throw new MetricInputError(
        `probabilities[${i}] has ${row.length} columns but there are ${columns} classes: ` +
          `columns must follow the order of the class list.`,
      );
    }
    for (let j = 0; j < columns; j++) {
      if (!Number.isFinite(row[j])) {
        throw new MetricInputError(
          `probabilities[${i}][${j}] is ${String(row[j])}: probabilities must be finite numbers. ` +
            `A NaN usually means the model diverged; check the run's loss.`,
        );
      }
    }
  }
}

export function requireIntegerInRange(value: number, min: number, max: number, argument: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MetricInputError(`${argument} is ${String(value)}: expected an integer from ${min} to ${max}.`);
  }
}
