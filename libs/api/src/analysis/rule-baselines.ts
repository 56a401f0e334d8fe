// The IOTA Simple Rules logged like a model (`ovus iota`, apps/trainer/src/runtime/rule-baseline.ts):
// which runs are rule baselines, their coverage (share of test cases decided, with its 95%
// interval) read from the metrics they log, and the published figures they are set against. The
// rules give hard verdicts for the cases they decide only, so their scores and paired tests are on
// those cases.
import { IOTA_2010_VALIDATION, isRuleBaselineBackbone } from '@ovus/report';
import type { MeanWithCi, MetricPoint } from '@ovus/tracking';
import { meanWithCi } from './compare-groups';

export { isRuleBaselineBackbone };

/** The keys rule baselines log their share of decided cases under (bounds: Wilson 95%). */
export const COVERAGE_KEY = 'final/test/malignancy/coverage';
const COVERAGE_LO = `${COVERAGE_KEY}_lo`;
const COVERAGE_HI = `${COVERAGE_KEY}_hi`;

/** The published figures a rule row is set against, where a network row has the paper's Table 2. */
export const PUBLISHED_RULES = {
  source: 'IOTA 2010 multicentre validation',
  coverage: IOTA_2010_VALIDATION.coverage,
  sensitivity: IOTA_2010_VALIDATION.sensitivity,
  specificity: IOTA_2010_VALIDATION.specificity,
} as const;

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** "IOTA 2010 multicentre validation: decided 77%, sensitivity 92%, specificity 96%". */
export const PUBLISHED_RULES_TEXT = `${PUBLISHED_RULES.source}: decided ${percent(PUBLISHED_RULES.coverage)}, sensitivity ${percent(PUBLISHED_RULES.sensitivity)}, specificity ${percent(PUBLISHED_RULES.specificity)}`;

/**
 * Coverage of a group of rule runs: one run gives its own Wilson interval (how sure its share of
 * decided cases is); several (the rules on each seed's predicted parameters) the mean ± 95%
 * t-interval over runs, as every other score of a group. Null when no run logged a coverage.
 */
export function coverageOf(runIds: readonly string[], latest: ReadonlyMap<string, readonly MetricPoint[]>): MeanWithCi | null {
  const value = (runId: string, key: string) => (latest.get(runId) ?? []).find((m) => m.key === key)?.value;
  const logged = runIds.filter((runId) => value(runId, COVERAGE_KEY) !== undefined);
  if (logged.length === 0) return null;
  if (logged.length === 1) {
    const runId = logged[0] as string;
    return { mean: value(runId, COVERAGE_KEY) as number, sd: null, lo: value(runId, COVERAGE_LO) ?? null, hi: value(runId, COVERAGE_HI) ?? null };
  }
  return meanWithCi(logged.map((runId) => value(runId, COVERAGE_KEY) as number));
}
