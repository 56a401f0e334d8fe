// The clinical-parameter selection analysis: pure functions over counts tables and stored task
// scores; no I/O, no tfjs. See README.md for the rule and its defaults.
export { SelectionInputError } from './errors';
export { tableFromCounts, tablesFromCases, tableTotal, type ContingencyTable, type LabelledCase } from './contingency';
export { chiSquareTest, type ChiSquareResult } from './chi-square';
export { exactTest, EXACT_TABLE_LIMIT, type ExactTestResult } from './exact-test';
export { cramersV, mutualInformationBits } from './effect-size';
export { holmAdjust } from './holm';
export {
  analyzeAssociation,
  DEFAULT_EXACT_BELOW_EXPECTED,
  type AssociationOptions,
  type ParameterAssociation,
  type PrimaryTest,
} from './association';
export type { CasePrediction, RunScores, TaskScore } from './run-scores';
export { meanInterval, pairedTTest, type MeanInterval } from './mean-interval';
export { permutationChanceF1 } from './chance';
export { analyzePredictability, type ParameterPredictability, type ScoreSummary } from './predictability';
export {
  analyzeContribution,
  pairedDelta,
  taskSetKey,
  ALL_TASKS_KEY,
  MALIGNANCY_ONLY_KEY,
  type ContributionDelta,
  type PairedCaseTests,
  type ParameterContribution,
} from './contribution';
export { greedyForwardPath, type GreedyPath, type GreedyStep } from './greedy';
export {
  DEFAULT_THRESHOLDS,
  RULE_NAME,
  checkThresholds,
  describeRule,
  evaluateCriteria,
  type CriterionOutcome,
  type CriterionStatus,
  type Criteria,
  type SelectionThresholds,
} from './rule';
export { runSelection, type ParameterFinding, type SelectionInput, type SelectionResult } from './analysis';
export { findingSummaries, type FindingSummary } from './finding-summary';
