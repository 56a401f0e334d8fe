import { bootstrapCis, type BootstrapOptions, type ConfidenceInterval } from './bootstrap';
import { scoresFromConfusion, type ClassScores } from './classification';
import { countPairs, type ConfusionMatrix } from './confusion';
import { MetricInputError } from './errors';
import { column, rocCurve, weightedAucEvaluator, type RocCurve } from './roc';
import type { Averaging, ClassCode, Labels, ProbabilityMatrix, ZeroDivision } from './types';
import { indexClasses, labelIndices, requireNonEmpty, requireProbabilityMatrix, requireSameLength } from './validate';

export interface ScoreTaskInput {
  readonly yTrue: Labels;
  readonly yPred: Labels;
  /** n × k, column j scoring `classes[j]` (e.g. the head's softmax output). */
  readonly probabilities: ProbabilityMatrix;
  /** The task's class codes, in the order of the probability columns. */
  readonly classes: readonly ClassCode[];
  /**
   * The class scored under 'binary' averaging and whose AUC/ROC is reported for a two-class task.
   * Default: the last class of a two-class task (malignant = 1 for classes [0, 1]).
   */
  readonly positive?: ClassCode;
  /** Default 'macro' (the paper's tables). */
  readonly averaging?: Averaging;
  /** Default 0. */
  readonly zeroDivision?: ZeroDivision;
  /** When given, adds stratified percentile bootstrap intervals of every headline metric. */
  readonly bootstrap?: BootstrapOptions;
}

export type HeadlineMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'auc';

export interface TaskScores {
  readonly n: number;
  readonly classes: readonly ClassCode[];
  readonly averaging: Averaging;
  /** The positive class (two-class tasks, or 'binary' averaging); null for a multi-class task. */
  readonly positive: ClassCode | null;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /**
   * Two classes (or 'binary' averaging): AUC of the positive class's probability. Otherwise: macro
   * one-vs-rest AUC over the classes present in yTrue. Null when undefined (a class missing from yTrue, see README).
   */
  readonly auc: number | null;
  /** Cases of each class in yTrue, aligned with `classes`. */
  readonly support: readonly number[];
  readonly perClass: readonly (ClassScores & { readonly auc: number | null })[];
  readonly confusion: ConfusionMatrix;
  /** One curve per scored class: the positive class when `auc` scores it alone, every class otherwise. Null when undefined. */
  readonly roc: readonly { readonly class: ClassCode; readonly curve: RocCurve | null }[];
  /** Bootstrap intervals, or null when no bootstrap was asked for. */
  readonly ci: Readonly<Record<HeadlineMetric, ConfidenceInterval>> | null;
}

/** Every metric the trainer records for one task on one split. */
export function scoreTask(input: ScoreTaskInput): TaskScores {
  const { yTrue, yPred, probabilities, classes, averaging = 'macro', zeroDivision = 0 } = input;
  requireNonEmpty(yTrue.length, 'yTrue');
  requireSameLength(yTrue.length, yPred.length, 'yPred', 'yTrue');
  const classIndex = indexClasses(classes);
  const trueIdx = labelIndices(yTrue, classIndex, 'yTrue');
  const predIdx = labelIndices(yPred, classIndex, 'yPred');
  requireProbabilityMatrix(probabilities, yTrue.length, classes.length);
  const positive = resolvePositive(classes, averaging, input.positive);
  const k = classes.length;
  const classList = [...classes];
  const columns = classes.map((_, j) => column(probabilities, j));
  // AUC is scored on the positive column for two classes (or 'binary' averaging), one-vs-rest on
  // each column otherwise.
  const scoresPositiveOnly = positive !== null && (k === 2 || averaging === 'binary');
  const aucColumns = scoresPositiveOnly ? [classIndex.get(positive) as number] : classes.map((_, j) => j);

  // Per-class "is this case of class j" masks and sorted-score AUC evaluators, built once and
  // re-used by every bootstrap replicate.
  const isClass = classes.map((_, j) => Array.from(trueIdx, (t) => t === j));
  const aucEvaluators = classes.map((_, j) => weightedAucEvaluator(columns[j]));
  const ones = new Uint32Array(yTrue.length).fill(1);
  const aucOf = (j: number, weights: ArrayLike<number>) => aucEvaluators[j](isClass[j], weights);

  const headline = (cases?: Uint32Array) => {
    const confusion = { classes: classList, counts: countPairs(trueIdx, predIdx, k, cases) };
    const scores = scoresFromConfusion(confusion, { averaging, positive: positive ?? undefined, zeroDivision });
    const weights = cases ? drawCounts(cases, yTrue.length) : ones;
    const aucs = aucColumns.map((j) => aucOf(j, weights));
    return { confusion, scores, aucs };
  };

  const full = headline();
  const perClassAuc = classes.map((_, j) => aucOf(j, ones));

  const ci = input.bootstrap
    ? bootstrapCis(
        yTrue,
        (cases) => {
          const { scores, aucs } = headline(cases);
          return {
            accuracy: scores.accuracy,
            precision: scores.precision,
            recall: scores.recall,
            f1: scores.f1,
            auc: meanOfDefined(aucs),
          };
        },
        input.bootstrap,
      )
    : null;

  return {
    n: yTrue.length,
    classes: classList,
    averaging,
    positive,
    accuracy: full.scores.accuracy,
    precision: full.scores.precision,
    recall: full.scores.recall,
    f1: full.scores.f1,
    auc: meanOfDefined(full.aucs),
    support: full.scores.perClass.map((c) => c.support),
    perClass: full.scores.perClass.map((c, j) => ({ ...c, auc: perClassAuc[j] })),
    confusion: full.confusion,
    roc: aucColumns.map((j) => ({ class: classes[j], curve: rocCurve(yTrue, columns[j], classes[j]) })),
    ci,
  };
}

/** How many times each case was drawn into a replicate. */
function drawCounts(cases: Uint32Array, n: number): Uint32Array {
  const counts = new Uint32Array(n);
  for (let r = 0; r < cases.length; r++) counts[cases[r]]++;
  return counts;
}

function resolvePositive(classes: readonly ClassCode[], averaging: Averaging, positive: ClassCode | undefined): ClassCode | null {
  if (positive !== undefined) {
    if (!classes.includes(positive)) {
      throw new MetricInputError(`positive class ${positive} is not one of the classes [${classes.join(', ')}].`);
    }
    return positive;
  }
  if (classes.length === 2) return classes[1];
  if (averaging === 'binary') {
    throw new MetricInputError(
      `averaging 'binary' on a ${classes.length}-class task needs positive (one of [${classes.join(', ')}]); or use 'macro'.`,
    );
  }
  return null;
}

/** The single AUC of a two-class task, or the macro mean over classes whose AUC is defined. */
function meanOfDefined(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null;
}
