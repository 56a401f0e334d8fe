// What each parameter's head does for the malignancy head, from ablation runs that differ from
// their partner only in the heads trained (same setting, seed and fold, hence the same test cases):
// - removed: all-task model minus the same model without the parameter's head;
// - alone: malignancy + the parameter minus malignancy alone.
// A positive delta means the head helps malignancy. Deltas are paired by replicate; the interval
// is a t interval over replicates and the paired t-test is on those differences. Where per-case
// predictions are stored for both runs of a pair, McNemar (correct/incorrect) and DeLong (AUC)
// compare them on the same test cases.
import { CLINICAL_PARAMETERS, type ClinicalParameter, type TaskName } from '@ovus/domain';
import { delongTest, mcnemarTest } from '@ovus/ml-metrics';
import { meanInterval, pairedTTest, type MeanInterval } from './mean-interval';
import type { RunScores } from './run-scores';

export interface PairedCaseTests {
  readonly replicate: string;
  readonly cases: number;
  readonly mcnemarP: number | null;
  readonly delongP: number | null;
}

export interface ContributionDelta {
  /** Pairs of runs (with, without) the delta is over. */
  readonly pairs: readonly { readonly replicate: string; readonly withRun: string; readonly withoutRun: string; readonly f1Delta: number; readonly aucDelta: number | null }[];
  readonly f1: MeanInterval | null;
  readonly auc: MeanInterval | null;
  /** Paired t-test over replicates of the F1 and AUC deltas. */
  readonly f1P: number | null;
  readonly aucP: number | null;
  /** Same-case tests per pair, where predictions exist. */
  readonly caseTests: readonly PairedCaseTests[];
}

export interface ParameterContribution {
  readonly parameter: ClinicalParameter;
  readonly removed: ContributionDelta | null;
  readonly alone: ContributionDelta | null;
}

export const ALL_TASKS_KEY = taskSetKey([...CLINICAL_PARAMETERS, 'malignancy']);
export const MALIGNANCY_ONLY_KEY = taskSetKey(['malignancy']);

/** Canonical name of a set of heads, e.g. "blood_flow+malignancy". */
export function taskSetKey(tasks: readonly TaskName[]): string {
  return [...new Set(tasks)].sort().join('+');
}

export function analyzeContribution(runs: readonly RunScores[], parameters: readonly ClinicalParameter[]): ParameterContribution[] {
  const byTasks = new Map<string, RunScores[]>();
  for (const run of runs) {
    if (!run.results.malignancy) continue;
    const key = taskSetKey(run.tasks);
    byTasks.set(key, [...(byTasks.get(key) ?? []), run]);
  }
  const allTasks = byTasks.get(ALL_TASKS_KEY) ?? [];
  const malignancyOnly = byTasks.get(MALIGNANCY_ONLY_KEY) ?? [];
  return parameters.map((parameter) => {
    const without = byTasks.get(taskSetKey([...CLINICAL_PARAMETERS.filter((p) => p !== parameter), 'malignancy'])) ?? [];
    const alone = byTasks.get(taskSetKey([parameter, 'malignancy'])) ?? [];
    return { parameter, removed: pairedDelta(allTasks, without), alone: pairedDelta(alone, malignancyOnly) };
  });
}

/** Deltas (with − without) of malignancy scores over runs paired by setting and replicate. */
export function pairedDelta(withHead: readonly RunScores[], withoutHead: readonly RunScores[]): ContributionDelta | null {
  const partner = new Map(withoutHead.map((r) => [`${r.setting}\u0000${r.replicate}`, r]));
  const pairs: { replicate: string; withRun: RunScores; withoutRun: RunScores }[] = [];
  for (const run of withHead) {
    const other = partner.get(`${run.setting}\u0000${run.replicate}`);
    if (other) pairs.push({ replicate: run.replicate, withRun: run, withoutRun: other });
  }
  if (pairs.length === 0) return null;
  pairs.sort((a, b) => a.replicate.localeCompare(b.replicate) || a.withRun.setting.localeCompare(b.withRun.setting));
  const rows = pairs.map(({ replicate, withRun, withoutRun }) => {
    const a = withRun.results.malignancy!;
    const b = withoutRun.results.malignancy!;
    return {
      replicate,
      withRun: withRun.runId,
      withoutRun: withoutRun.runId,
      f1Delta: a.f1 - b.f1,
      aucDelta: a.auc !== null && b.auc !== null ? a.auc - b.auc : null,
    };
  });
  const f1Deltas = rows.map((r) => r.f1Delta);
  const aucDeltas = rows.flatMap((r) => (r.aucDelta === null ? [] : [r.aucDelta]));
  return {
    pairs: rows,
    f1: meanInterval(f1Deltas),
    auc: meanInterval(aucDeltas),
    f1P: pairedTTest(f1Deltas)?.p ?? null,
    aucP: pairedTTest(aucDeltas)?.p ?? null,
    caseTests: pairs.flatMap(({ replicate, withRun, withoutRun }) => {
      const tests = sameCaseTests(withRun, withoutRun);
      return tests ? [{ replicate, ...tests }] : [];
    }),
  };
}

/** McNemar and DeLong on the cases both runs predicted (matched by case id). */
function sameCaseTests(a: RunScores, b: RunScores): Omit<PairedCaseTests, 'replicate'> | null {
  if (!a.malignancyPredictions || !b.malignancyPredictions) return null;
  const other = new Map(b.malignancyPredictions.map((p) => [p.caseId, p]));
  const shared = a.malignancyPredictions.filter((p) => other.has(p.caseId));
  if (shared.length === 0) return null;
  const yTrue = shared.map((p) => p.yTrue);
  const mcnemar = mcnemarTest(yTrue, shared.map((p) => p.yPred), shared.map((p) => other.get(p.caseId)!.yPred));
  const bothClasses = yTrue.includes(0) && yTrue.includes(1);
  const delong = bothClasses ? delongTest(yTrue, shared.map((p) => p.score), shared.map((p) => other.get(p.caseId)!.score), 1) : null;
  return { cases: shared.length, mcnemarP: mcnemar.pValue, delongP: delong?.pValue ?? null };
}
