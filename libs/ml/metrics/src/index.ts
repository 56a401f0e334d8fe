// Pure metric functions: no tfjs, no I/O, no workspace imports. See README.md for conventions.
export type { Averaging, ClassCode, Labels, ProbabilityMatrix, Scores, ZeroDivision } from './types';
export { MetricInputError } from './errors';
export { confusionMatrix, type ConfusionMatrix } from './confusion';
export {
  accuracy,
  precisionRecallF1,
  scoresFromConfusion,
  type AveragingOptions,
  type ClassScores,
  type ClassificationScores,
  type PrecisionRecallOptions,
} from './classification';
export { rocAuc, rocAucOneVsRest, rocCurve, type OneVsRestAuc, type RocCurve, type RocCurveOptions } from './roc';
export {
  bootstrapCi,
  bootstrapCis,
  percentile,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  type BootstrapOptions,
  type CaseIndices,
  type ConfidenceInterval,
} from './bootstrap';
export { createRandom, type SeededRandom } from './prng';
export { mcnemarFromCounts, mcnemarTest, MCNEMAR_EXACT_BELOW, type McNemarMethod, type McNemarOptions, type McNemarResult } from './mcnemar';
export { delongTest, type DeLongResult } from './delong';
export { binomialCdf, chiSquareCdf, chiSquareSf, normalCdf, normalSf } from './distributions';
export { studentTCritical, studentTTwoSidedP } from './student-t';
export { meanInterval, type MeanInterval } from './mean-interval';
export { erf, erfc, logGamma, regularizedGammaP, regularizedGammaQ } from './special-functions';
export { scoreTask, type HeadlineMetric, type ScoreTaskInput, type TaskScores } from './score-task';
