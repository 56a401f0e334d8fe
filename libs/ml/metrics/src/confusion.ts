import type { ClassCode, Labels } from './types';
import { indexClasses, labelIndices, requireNonEmpty, requireSameLength } from './validate';

/**
 * Counts of (true class, predicted class) pairs. `counts[i][j]` is the number of cases whose
 * true class is `classes[i]` and whose prediction is `classes[j]` (sklearn's layout: rows true,
 * columns predicted). Classes keep the caller's order and codes.
 */
export interface ConfusionMatrix {
  readonly classes: readonly ClassCode[];
  readonly counts: readonly (readonly number[])[];
}

/** Confusion matrix over `classes`; a label outside the list is an error, not silently dropped. */
export function confusionMatrix(yTrue: Labels, yPred: Labels, classes: readonly ClassCode[]): ConfusionMatrix {
  requireNonEmpty(yTrue.length, 'yTrue');
  requireSameLength(yTrue.length, yPred.length, 'yPred', 'yTrue');
  const classIndex = indexClasses(classes);
  const trueIdx = labelIndices(yTrue, classIndex, 'yTrue');
  const predIdx = labelIndices(yPred, classIndex, 'yPred');
  return { classes: [...classes], counts: countPairs(trueIdx, predIdx, classes.length) };
}

/** Confusion counts from label indices, optionally over a subset of cases (bootstrap replicates). */
export function countPairs(
  trueIdx: ArrayLike<number>,
  predIdx: ArrayLike<number>,
  k: number,
  cases?: ArrayLike<number>,
): number[][] {
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const n = cases ? cases.length : trueIdx.length;
  for (let r = 0; r < n; r++) {
    const i = cases ? cases[r] : r;
    counts[trueIdx[i]][predIdx[i]]++;
  }
  return counts;
}
