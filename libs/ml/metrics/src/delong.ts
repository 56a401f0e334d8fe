import { normalSf } from './distributions';
import { MetricInputError } from './errors';
import { midranks } from './ranks';
import type { ClassCode, Labels, Scores } from './types';
import { requireFiniteScores, requireNonEmpty, requireSameLength } from './validate';

export interface DeLongResult {
  readonly aucA: number;
  readonly aucB: number;
  /** aucA - aucB. */
  readonly difference: number;
  /** Estimated variance of the difference: var(A) + var(B) - 2 cov(A, B). */
  readonly variance: number;
  /** DeLong covariance matrix of (aucA, aucB). */
  readonly covariance: readonly [readonly [number, number], readonly [number, number]];
  /** z = difference / sqrt(variance). */
  readonly statistic: number;
  /** Two-sided p-value from the standard normal. */
  readonly pValue: number;
}

/**
 * DeLong's test (DeLong, DeLong & Clarke-Pearson 1988) for two correlated ROC AUCs: two models'
 * scores on the same cases. Uses Sun & Xu's (2014) midrank formulation, O(n log n).
 *
 * When the variance is 0 (e.g. both models separate the classes perfectly): statistic 0 and p = 1
 * if the AUCs are equal, otherwise ±Infinity and p = 0.
 */
export function delongTest(yTrue: Labels, scoresA: Scores, scoresB: Scores, positive: ClassCode): DeLongResult {
  requireNonEmpty(yTrue.length, 'yTrue');
  requireSameLength(yTrue.length, scoresA.length, 'scoresA', 'yTrue');
  requireSameLength(yTrue.length, scoresB.length, 'scoresB', 'yTrue');
  requireFiniteScores(scoresA, 'scoresA');
  requireFiniteScores(scoresB, 'scoresB');
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < yTrue.length; i++) (yTrue[i] === positive ? positives : negatives).push(i);
  if (positives.length === 0 || negatives.length === 0) {
    throw new MetricInputError(
      `DeLong's test needs both classes: yTrue has ${positives.length} cases of positive class ${positive} ` +
        `and ${negatives.length} others. The AUCs are undefined on this split.`,
    );
  }
  const a = structuralComponents(scoresA, positives, negatives);
  const b = structuralComponents(scoresB, positives, negatives);
  const m = positives.length;
  const n = negatives.length;
  const cov = (x: StructuralComponents, y: StructuralComponents): number =>
    covariance(x.positive, y.positive) / m + covariance(x.negative, y.negative) / n;
  const varA = cov(a, a);
  const varB = cov(b, b);
  const covAB = cov(a, b);
  const difference = a.auc - b.auc;
  const variance = varA + varB - 2 * covAB;
  let statistic: number;
  if (variance > 0) statistic = difference / Math.sqrt(variance);
  else statistic = difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
  return {
    aucA: a.auc,
    aucB: b.auc,
    difference,
    variance,
    covariance: [
      [varA, covAB],
      [covAB, varB],
    ],
    statistic,
    pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))),
  };
}

interface StructuralComponents {
  readonly auc: number;
  /** V10: for each positive, the fraction of negatives it outscores (ties 1/2). */
  readonly positive: Float64Array;
  /** V01: for each negative, the fraction of positives that outscore it (ties 1/2). */
  readonly negative: Float64Array;
}

/**
 * Sun & Xu: with midranks over all cases (T), among positives (Tx) and among negatives (Ty), a
 * positive's V10 is (T - Tx)/n and a negative's V01 is 1 - (T - Ty)/m.
 */
function structuralComponents(scores: Scores, positives: number[], negatives: number[]): StructuralComponents {
  const m = positives.length;
  const n = negatives.length;
  const combined = new Float64Array(m + n);
  positives.forEach((i, p) => (combined[p] = scores[i]));
  negatives.forEach((i, q) => (combined[m + q] = scores[i]));
  const tz = midranks(combined);
  const tx = midranks(combined.subarray(0, m));
  const ty = midranks(combined.subarray(m));
  const positive = new Float64Array(m);
  const negative = new Float64Array(n);
  let rankSum = 0;
  for (let p = 0; p < m; p++) {
    positive[p] = (tz[p] - tx[p]) / n;
    rankSum += tz[p];
  }
  for (let q = 0; q < n; q++) negative[q] = 1 - (tz[m + q] - ty[q]) / m;
  return { auc: rankSum / (m * n) - (m + 1) / (2 * n), positive, negative };
}

/** Sample covariance (denominator count - 1); 0 for a single value, whose spread is unknown. */
function covariance(x: Float64Array, y: Float64Array): number {
  const count = x.length;
  if (count < 2) return 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < count; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= count;
  meanY /= count;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += (x[i] - meanX) * (y[i] - meanY);
  return sum / (count - 1);
}
