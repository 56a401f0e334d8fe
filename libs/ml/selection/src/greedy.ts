// Greedy forward selection of parameters for the malignancy head: start from malignancy alone, at
// each step add the parameter whose head raises mean malignancy F1 (over replicates) the most,
// stop when no addition raises it by more than `minGain`. Each step needs a run set for every
// remaining candidate (malignancy + chosen + candidate); when some are missing the path stops and
// says which task sets to train next (`trainer select plan --greedy` queues them).
import type { ClinicalParameter } from '@ovus/domain';
import { taskSetKey } from './contribution';
import { meanInterval, type MeanInterval } from './mean-interval';
import type { RunScores } from './run-scores';

export interface GreedyStep {
  readonly selected: readonly ClinicalParameter[];
  /** Malignancy F1 of this task set over its runs. */
  readonly f1: MeanInterval;
  readonly runIds: readonly string[];
  /** Gain over the previous step (null for the starting point). */
  readonly gain: number | null;
}

export interface GreedyPath {
  readonly steps: readonly GreedyStep[];
  /** Why the path ended. */
  readonly stop: 'no-gain' | 'missing-runs' | 'all-added' | 'no-start';
  /** Task sets (each malignancy + parameters) needed to take the next step, when runs are missing. */
  readonly missing: readonly (readonly ClinicalParameter[])[];
  readonly minGain: number;
}

export function greedyForwardPath(runs: readonly RunScores[], parameters: readonly ClinicalParameter[], minGain = 0): GreedyPath {
  const byTasks = new Map<string, RunScores[]>();
  for (const run of runs) {
    if (!run.results.malignancy) continue;
    const key = taskSetKey(run.tasks);
    byTasks.set(key, [...(byTasks.get(key) ?? []), run]);
  }
  const stepFor = (selected: readonly ClinicalParameter[], gainOver: number | null): GreedyStep | null => {
    const members = byTasks.get(taskSetKey([...selected, 'malignancy'])) ?? [];
    const f1 = meanInterval(members.map((r) => r.results.malignancy!.f1));
    if (!f1) return null;
    return { selected, f1, runIds: members.map((r) => r.runId), gain: gainOver === null ? null : f1.mean - gainOver };
  };
  const start = stepFor([], null);
  if (!start) return { steps: [], stop: 'no-start', missing: [[]], minGain };
  const steps: GreedyStep[] = [start];
  let current = start;
  for (;;) {
    const remaining = parameters.filter((p) => !current.selected.includes(p));
    if (remaining.length === 0) return { steps, stop: 'all-added', missing: [], minGain };
    const candidates = remaining.map((p) => ({ p, step: stepFor(orderLike(parameters, [...current.selected, p]), current.f1.mean) }));
    const missing = candidates.filter((c) => c.step === null).map((c) => orderLike(parameters, [...current.selected, c.p]));
    if (missing.length > 0) return { steps, stop: 'missing-runs', missing, minGain };
    const best = candidates.reduce((a, b) => ((b.step as GreedyStep).f1.mean > (a.step as GreedyStep).f1.mean ? b : a));
    const step = best.step as GreedyStep;
    if ((step.gain ?? 0) <= minGain) return { steps, stop: 'no-gain', missing: [], minGain };
    steps.push(step);
    current = step;
  }
}

function orderLike(order: readonly ClinicalParameter[], chosen: readonly ClinicalParameter[]): ClinicalParameter[] {
  return order.filter((p) => chosen.includes(p));
}
