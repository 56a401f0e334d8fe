import { confusionMatrix, type ConfusionMatrix } from './confusion';
import { MetricInputError } from './errors';
import type { Averaging, ClassCode, Labels, ZeroDivision } from './types';
import { requireNonEmpty, requireSameLength } from './validate';

export interface ClassScores {
  readonly class: ClassCode;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Number of cases whose true class is this one. */
  readonly support: number;
}

export interface ClassificationScores {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly averaging: Averaging;
  /** The class scored alone under 'binary' averaging; null otherwise. */
  readonly positive: ClassCode | null;
  readonly perClass: readonly ClassScores[];
}

export interface AveragingOptions {
  /** Default 'macro', the averaging the paper's tables use (see README). */
  readonly averaging?: Averaging;
  /** Required for 'binary'; ignored otherwise. */
  readonly positive?: ClassCode;
  /** Value of a 0/0 ratio (sklearn's zero_division). Default 0. */
  readonly zeroDivision?: ZeroDivision;
}

export interface PrecisionRecallOptions extends AveragingOptions {
  readonly classes: readonly ClassCode[];
}

/** Fraction of cases predicted correctly. */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  requireNonEmpty(yTrue.length, 'yTrue');
  requireSameLength(yTrue.length, yPred.length, 'yPred', 'yTrue');
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/** Accuracy, precision, recall and F1 (with per-class detail) from labels. */
export function precisionRecallF1(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions): ClassificationScores {
  return scoresFromConfusion(confusionMatrix(yTrue, yPred, options.classes), options);
}

/**
 * Accuracy, precision, recall and F1 from a confusion matrix.
 *
 * Per class c: precision = tp/(tp+fp), recall = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn); a 0/0 ratio is
 * `zeroDivision`. Averaged F1 is the average of per-class F1 (sklearn), not the harmonic mean of
 * the averaged precision and recall.
 */
export function scoresFromConfusion(confusion: ConfusionMatrix, options: AveragingOptions = {}): ClassificationScores {
  const { averaging = 'macro', zeroDivision = 0 } = options;
  const { classes, counts } = confusion;
  const k = classes.length;
  const ratio = (numerator: number, denominator: number): number =>
    denominator === 0 ? zeroDivision : numerator / denominator;

  let total = 0;
  let correct = 0;
  const perClass: ClassScores[] = [];
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += counts[c][j];
      predicted += counts[j][c];
    }
    const tp = counts[c][c];
    total += support;
    correct += tp;
    perClass.push({
      class: classes[c],
      precision: ratio(tp, predicted),
      recall: ratio(tp, support),
      f1: ratio(2 * tp, support + predicted),
      support,
    });
  }
  if (total === 0) throw new MetricInputError('The confusion matrix is empty: a metric needs at least one case.');

  const base = { accuracy: correct / total, averaging, perClass };
  if (averaging === 'binary') {
    const positive = requirePositive(classes, options.positive);
    const scores = perClass[classes.indexOf(positive)];
    return { ...base, positive, precision: scores.precision, recall: scores.recall, f1: scores.f1 };
  }
  // Macro: every listed class counts once, including classes absent from this sample (their 0/0
  // ratios take `zeroDivision`), as sklearn does when `labels` is given.
  const weight = (s: ClassScores): number => (averaging === 'weighted' ? s.support / total : 1 / k);
  const mean = (pick: (s: ClassScores) => number): number => perClass.reduce((sum, s) => sum + weight(s) * pick(s), 0);
  return { ...base, positive: null, precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
}

function requirePositive(classes: readonly ClassCode[], positive: ClassCode | undefined): ClassCode {
  if (positive === undefined) {
    throw new MetricInputError(
      `averaging 'binary' needs a positive class: pass positive (one of [${classes.join(', ')}]) or use 'macro'.`,
    );
  }
  if (!classes.includes(positive)) {
    throw new MetricInputError(`positive class ${positive} is not one of the classes [${classes.join(', ')}].`);
  }
  return positive;
}
