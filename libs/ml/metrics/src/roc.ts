import { MetricInputError } from './errors';
import { midranks, orderByScoreDescending } from './ranks';
import type { ClassCode, Labels, ProbabilityMatrix, Scores } from './types';
import {
  indexClasses,
  labelIndices,
  requireFiniteScores,
  requireNonEmpty,
  requireProbabilityMatrix,
  requireSameLength,
} from './validate';

/**
 * Points of a ROC curve, from the strictest threshold to the loosest. A case is called positive
 * when its score is >= thresholds[i]. thresholds[0] is +Infinity (nothing called positive, the
 * (0, 0) point), as in scikit-learn >= 1.3.
 */
export interface RocCurve {
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
}

export interface RocCurveOptions {
  /**
   * Drop points that lie on a straight segment between their neighbours (they do not change the
   * curve or its area). Default true, as sklearn's `drop_intermediate`.
   */
  readonly dropIntermediate?: boolean;
}

/**
 * ROC curve of `scores` for `positive` against every other label. Tied scores form a single
 * point (a diagonal step). Returns null when the labels hold no positive or no negative case: the
 * curve is undefined then.
 */
export function rocCurve(
  yTrue: Labels,
  scores: Scores,
  positive: ClassCode,
  options: RocCurveOptions = {},
): RocCurve | null {
  checkBinaryInput(yTrue, scores);
  const { dropIntermediate = true } = options;
  const order = orderByScoreDescending(scores);

  // Cumulative true/false positives at the last index of every run of equal scores.
  let tps: number[] = [];
  let fps: number[] = [];
  let thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length; r++) {
    if (yTrue[order[r]] === positive) tp++;
    else fp++;
    const last = r === order.length - 1 || scores[order[r + 1]] !== scores[order[r]];
    if (last) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[order[r]]);
    }
  }
  if (tp === 0 || fp === 0) return null;

  if (dropIntermediate && tps.length > 2) {
    // Keep a point only where the curve bends: a non-zero second difference in fps or tps
    // (sklearn's rule, so the points match its output).
    const keep = tps.map(
      (_, i) =>
        i === 0 ||
        i === tps.length - 1 ||
        fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 ||
        tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0,
    );
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  return {
    fpr: [0, ...fps.map((v) => v / fp)],
    tpr: [0, ...tps.map((v) => v / tp)],
    thresholds: [Number.POSITIVE_INFINITY, ...thresholds],
  };
}

/**
 * Area under the ROC curve of `scores` for `positive` against the rest, via the Mann–Whitney
 * statistic with midranks: identical to the trapezoidal area of the curve, ties counting one half.
 * Null when there is no positive or no negative case (the AUC is undefined).
 */
export function rocAuc(yTrue: Labels, scores: Scores, positive: ClassCode): number | null {
  checkBinaryInput(yTrue, scores);
  return aucFromMask(isPositiveMask(yTrue, positive), scores);
}

export interface OneVsRestAuc {
  /** Mean of the defined per-class AUCs; null only when no class has one. */
  readonly macro: number | null;
  readonly perClass: readonly { readonly class: ClassCode; readonly auc: number | null }[];
  /** Classes whose AUC is undefined (absent from yTrue, or the only class present): left out of macro. */
  readonly undefinedClasses: readonly ClassCode[];
}

/**
 * One-vs-rest AUC of every class (column j of `probabilities` scores class `classes[j]`) and
 * their unweighted mean. A class absent from yTrue has no AUC (null) and is left out of the mean
 * and listed in `undefinedClasses`, where scikit-learn would raise instead.
 */
export function rocAucOneVsRest(
  yTrue: Labels,
  probabilities: ProbabilityMatrix,
  classes: readonly ClassCode[],
): OneVsRestAuc {
  requireNonEmpty(yTrue.length, 'yTrue');
  const classIndex = indexClasses(classes);
  labelIndices(yTrue, classIndex, 'yTrue');
  requireProbabilityMatrix(probabilities, yTrue.length, classes.length);
  const perClass = classes.map((code, j) => ({
    class: code,
    auc: aucFromMask(isPositiveMask(yTrue, code), column(probabilities, j)),
  }));
  const defined = perClass.filter((c) => c.auc !== null).map((c) => c.auc as number);
  return {
    macro: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length,
    perClass,
    undefinedClasses: perClass.filter((c) => c.auc === null).map((c) => c.class),
  };
}

/** AUC from a positive mask and scores (no validation; shared with the bootstrap). */
export function aucFromMask(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number | null {
  const ranks = midranks(scores);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (positive[i]) {
      nPos++;
      rankSum += ranks[i];
    }
  }
  const nNeg = ranks.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * AUC of fixed scores under changing case weights (a bootstrap replicate is a weight per case:
 * how often it was drawn). Sorts once; each evaluation is then O(n) with no allocation, where
 * re-ranking every replicate would cost O(n log n). Same value as the midrank AUC of the
 * replicate: tied positive/negative pairs count one half.
 */
export function weightedAucEvaluator(
  scores: ArrayLike<number>,
): (positive: ArrayLike<boolean>, weights: ArrayLike<number>) => number | null {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  // groupEnd[g] is one past the last position of the g-th run of equal scores.
  const groupEnds: number[] = [];
  for (let p = 0; p < n; p++) if (p === n - 1 || scores[order[p + 1]] !== scores[order[p]]) groupEnds.push(p + 1);

  return (positive, weights) => {
    let negativesBelow = 0;
    let wins = 0;
    let positiveTotal = 0;
    let start = 0;
    for (const end of groupEnds) {
      let positiveWeight = 0;
      let negativeWeight = 0;
      for (let p = start; p < end; p++) {
        const i = order[p];
        if (positive[i]) positiveWeight += weights[i];
        else negativeWeight += weights[i];
      }
      wins += positiveWeight * (negativesBelow + negativeWeight / 2);
      negativesBelow += negativeWeight;
      positiveTotal += positiveWeight;
      start = end;
    }
    return positiveTotal === 0 || negativesBelow === 0 ? null : wins / (positiveTotal * negativesBelow);
  };
}

export function column(matrix: ProbabilityMatrix, j: number): Float64Array {
  const out = new Float64Array(matrix.length);
  for (let i = 0; i < matrix.length; i++) out[i] = matrix[i][j];
  return out;
}

function isPositiveMask(yTrue: Labels, positive: ClassCode): boolean[] {
  return Array.from({ length: yTrue.length }, (_, i) => yTrue[i] === positive);
}

function checkBinaryInput(yTrue: Labels, scores: Scores): void {
  requireNonEmpty(yTrue.length, 'yTrue');
  requireSameLength(yTrue.length, scores.length, 'scores', 'yTrue');
  requireFiniteScores(scores, 'scores');
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i])) {
      throw new MetricInputError(`yTrue[${i}] is ${String(yTrue[i])}: labels must be class codes.`);
    }
  }
}
