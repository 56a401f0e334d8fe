// The whole analysis: association (always), predictability and contribution (when runs are
// given), the greedy path (when its runs exist), combined by the rule into a ranked list and a
// selected set, each parameter with one sentence saying why it was kept or dropped.
import { CLINICAL_PARAMETERS, TASKS, type ClinicalParameter } from '@ovus/domain';
import { analyzeAssociation, type AssociationOptions, type ParameterAssociation } from './association';
import type { ContingencyTable } from './contingency';
import { analyzeContribution, type ParameterContribution } from './contribution';
import { greedyForwardPath, type GreedyPath } from './greedy';
import { analyzePredictability, type ParameterPredictability } from './predictability';
import { checkThresholds, DEFAULT_THRESHOLDS, describeRule, evaluateCriteria, RULE_NAME, type Criteria, type SelectionThresholds } from './rule';
import type { RunScores } from './run-scores';
import { SelectionInputError } from './errors';

export interface SelectionInput {
  /** One table per clinical parameter (from case labels or published counts). */
  readonly tables: readonly ContingencyTable[];
  /** Scored runs of a sweep (multi-task and ablation runs); none for a counts-only analysis. */
  readonly runs?: readonly RunScores[];
  readonly thresholds?: Partial<SelectionThresholds>;
  readonly association?: AssociationOptions;
  /** Minimum mean F1 gain for the greedy path to add a parameter (default 0). */
  readonly greedyMinGain?: number;
}

export interface ParameterFinding {
  readonly parameter: ClinicalParameter;
  readonly title: string;
  readonly rank: number;
  readonly selected: boolean;
  /** One sentence: kept or dropped, and why. */
  readonly reason: string;
  readonly criteria: Criteria;
  readonly association: ParameterAssociation;
  readonly predictability: ParameterPredictability | null;
  readonly contribution: ParameterContribution | null;
}

export interface SelectionResult {
  readonly rule: string;
  readonly ruleText: readonly string[];
  readonly thresholds: SelectionThresholds;
  readonly continuityCorrection: boolean;
  readonly findings: readonly ParameterFinding[];
  /** Selected parameters in rank order. */
  readonly selected: readonly ClinicalParameter[];
  readonly greedy: GreedyPath | null;
  /** Runs whose scores were used. */
  readonly runIds: readonly string[];
}

export function runSelection(input: SelectionInput): SelectionResult {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  checkThresholds(thresholds);
  const parameters = input.tables.map((t) => t.parameter);
  const repeated = parameters.find((p, i) => parameters.indexOf(p) !== i);
  if (repeated) throw new SelectionInputError(`parameter ${repeated} has two counts tables; give one per parameter.`);
  if (parameters.length === 0) throw new SelectionInputError('no counts table given; the analysis needs at least one parameter.');
  const ordered = CLINICAL_PARAMETERS.filter((p) => parameters.includes(p));
  const tables = ordered.map((p) => input.tables.find((t) => t.parameter === p)!);
  const association = analyzeAssociation(tables, input.association);
  const runs = input.runs ?? [];
  const predictability = runs.length ? analyzePredictability(runs, ordered) : [];
  const contribution = runs.length ? analyzeContribution(runs, ordered) : [];
  const greedy = runs.length ? greedyForwardPath(runs, ordered, input.greedyMinGain ?? 0) : null;

  const unranked = association.map((a) => {
    const p = predictability.find((x) => x.parameter === a.parameter);
    const c = contribution.find((x) => x.parameter === a.parameter);
    const criteria = evaluateCriteria(a, p, c, thresholds);
    const outcomes = Object.values(criteria);
    const selected = outcomes.every((o) => o.status !== 'fail');
    return { a, p, c, criteria, selected };
  });
  unranked.sort((x, y) => Number(y.selected) - Number(x.selected) || (y.a.cramersV ?? -1) - (x.a.cramersV ?? -1) || x.a.parameter.localeCompare(y.a.parameter));
  const findings = unranked.map(({ a, p, c, criteria, selected }, i) => ({
    parameter: a.parameter,
    title: TASKS[a.parameter].title,
    rank: i + 1,
    selected,
    reason: reasonSentence(selected, criteria),
    criteria,
    association: a,
    predictability: p ?? null,
    contribution: c ?? null,
  }));
  const usedRuns = new Set<string>();
  for (const p of predictability) for (const id of p.pooled?.runIds ?? []) usedRuns.add(id);
  for (const c of contribution) for (const d of [c.removed, c.alone]) for (const pair of d?.pairs ?? []) [pair.withRun, pair.withoutRun].forEach((id) => usedRuns.add(id));
  for (const step of greedy?.steps ?? []) step.runIds.forEach((id) => usedRuns.add(id));
  return {
    rule: RULE_NAME,
    ruleText: describeRule(thresholds),
    thresholds,
    continuityCorrection: input.association?.continuityCorrection ?? true,
    findings,
    selected: findings.filter((f) => f.selected).map((f) => f.parameter),
    greedy,
    runIds: [...usedRuns].sort(),
  };
}

function reasonSentence(selected: boolean, criteria: Criteria): string {
  const outcomes = [criteria.association, criteria.balance, criteria.predictability, criteria.contribution];
  if (!selected) {
    const failed = outcomes.filter((o) => o.status === 'fail').map((o) => o.detail);
    const despite = outcomes.filter((o) => o.status === 'pass' && o !== criteria.balance).map((o) => o.detail);
    return `Dropped: ${failed.join('; and ')}${despite.length ? `, although ${despite.join(' and ')}` : ''}.`;
  }
  const passed = outcomes.filter((o) => o.status === 'pass').map((o) => o.detail);
  const open = outcomes.filter((o) => o.status === 'not-evaluated').map((o) => o.detail.split(' (')[0]);
  return `Kept: ${passed.join('; ')}${open.length ? ` (${open.join(', ')})` : ''}.`;
}
