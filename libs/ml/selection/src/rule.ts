// The selection rule: which criteria a parameter must meet to be kept, with named thresholds.
// A parameter is kept when every criterion that could be evaluated passes; a criterion without
// data (no runs yet, no ablation runs) is reported as not evaluated and does not decide. See
// README.md for why the defaults are what they are.
import { TASKS } from '@ovus/domain';
import { formatPValue } from '@ovus/table-export';
import type { ParameterAssociation } from './association';
import type { ParameterContribution } from './contribution';
import type { ParameterPredictability } from './predictability';
import { SelectionInputError } from './errors';

export interface SelectionThresholds {
  /** Association: Holm-adjusted p-value must be below this. */
  readonly alpha: number;
  /** Association: Cramér's V must reach this (a significant but negligible effect is not enough). */
  readonly minCramersV: number;
  /** Every code of the parameter must hold at least this share of the labelled cases. */
  readonly minClassShare: number;
  /** Predictability: the lower 95% bound of (macro F1 − chance level) must exceed this. */
  readonly minF1AboveChance: number;
  /** Predictability: the lower 95% bound of the parameter's AUC must exceed this. */
  readonly minAucLowerBound: number;
  /** Contribution: dropped when its head clearly harms malignancy — the upper 95% bound of ΔF1 is below −maxHarm. */
  readonly maxHarm: number;
}

export const DEFAULT_THRESHOLDS: SelectionThresholds = {
  alpha: 0.05,
  minCramersV: 0.1,
  minClassShare: 0.1,
  minF1AboveChance: 0,
  minAucLowerBound: 0.5,
  maxHarm: 0,
};

export const RULE_NAME = 'association+balance+predictability+contribution/v1';

export type CriterionStatus = 'pass' | 'fail' | 'not-evaluated';

export interface CriterionOutcome {
  readonly status: CriterionStatus;
  /** The sentence fragment that explains the outcome, e.g. "Cramér's V 0.53, Holm p 7.3e-16". */
  readonly detail: string;
}

export interface Criteria {
  readonly association: CriterionOutcome;
  readonly balance: CriterionOutcome;
  readonly predictability: CriterionOutcome;
  readonly contribution: CriterionOutcome;
}

export function checkThresholds(thresholds: SelectionThresholds): void {
  const inUnit = (name: keyof SelectionThresholds, lo: number, hi: number) => {
    const value = thresholds[name];
    if (!(typeof value === 'number' && value >= lo && value <= hi)) {
      throw new SelectionInputError(`threshold ${name} = ${String(value)}: expected a number from ${lo} to ${hi}.`);
    }
  };
  inUnit('alpha', 0, 1);
  inUnit('minCramersV', 0, 1);
  inUnit('minClassShare', 0, 0.5);
  inUnit('minF1AboveChance', -1, 1);
  inUnit('minAucLowerBound', 0, 1);
  inUnit('maxHarm', 0, 1);
}

/** The rule in words, printed with every result. */
export function describeRule(t: SelectionThresholds): string[] {
  return [
    `Rule ${RULE_NAME}: a parameter is kept when every criterion with data passes:`,
    `  association    Holm-adjusted p < alpha = ${t.alpha} and Cramér's V >= minCramersV = ${t.minCramersV}`,
    `  balance        every code holds >= minClassShare = ${pct(t.minClassShare)} of labelled cases`,
    `  predictability lower 95% bound of (macro F1 - chance) > minF1AboveChance = ${t.minF1AboveChance} and of AUC > minAucLowerBound = ${t.minAucLowerBound} (pooled over the sweep)`,
    `  contribution   not clearly harmful: upper 95% bound of malignancy ΔF1 (head removed, and head alone) >= -maxHarm = ${-t.maxHarm}`,
    '  Ranked: kept before dropped, then by Cramér\'s V.',
  ];
}

export function evaluateCriteria(
  association: ParameterAssociation,
  predictability: ParameterPredictability | undefined,
  contribution: ParameterContribution | undefined,
  t: SelectionThresholds,
): Criteria {
  return {
    association: associationOutcome(association, t),
    balance: balanceOutcome(association, t),
    predictability: predictabilityOutcome(predictability, t),
    contribution: contributionOutcome(contribution, t),
  };
}

function associationOutcome(a: ParameterAssociation, t: SelectionThresholds): CriterionOutcome {
  if (a.pHolm === null || a.cramersV === null) return { status: 'fail', detail: `association cannot be tested (${a.note ?? 'no data'})` };
  const detail = `Cramér's V ${a.cramersV.toFixed(2)}, Holm p ${formatPValue(a.pHolm)} by ${a.test}`;
  if (a.pHolm >= t.alpha) return { status: 'fail', detail: `not associated with malignancy after Holm correction: ${detail}, not below ${t.alpha}` };
  if (a.cramersV < t.minCramersV) return { status: 'fail', detail: `association too weak: ${detail}, V below ${t.minCramersV}` };
  return { status: 'pass', detail: `associated with malignancy (${detail})` };
}

function balanceOutcome(a: ParameterAssociation, t: SelectionThresholds): CriterionOutcome {
  if (a.minClassShare === null || a.n === 0) return { status: 'fail', detail: 'no labelled case' };
  const codes = a.table.codes;
  const totals = a.table.counts.map(([b, m]) => b + m);
  const rarest = totals.indexOf(Math.min(...totals));
  const name = TASKS[a.parameter].classNames[rarest] ?? String(codes[rarest]);
  const share = totals[rarest] / a.n;
  const detail = `its rarest code (${name}) holds ${pct(share)} of ${a.n} labelled cases`;
  if (share < t.minClassShare) return { status: 'fail', detail: `${detail}, below ${pct(t.minClassShare)} — too few to learn and score reliably` };
  return { status: 'pass', detail };
}

function predictabilityOutcome(p: ParameterPredictability | undefined, t: SelectionThresholds): CriterionOutcome {
  const pooled = p?.pooled;
  if (!pooled || !pooled.f1AboveChance) return { status: 'not-evaluated', detail: 'predictability not evaluated (no multi-task run scored it)' };
  const excess = pooled.f1AboveChance;
  const aucLo = pooled.auc?.lo ?? null;
  const detail =
    `macro F1 ${fmt(pooled.f1?.mean)} vs chance ${fmt(pooled.chanceF1)} (excess ${fmt(excess.mean)} [${fmt(excess.lo)}, ${fmt(excess.hi)}]), ` +
    `AUC ${fmt(pooled.auc?.mean)} [${fmt(pooled.auc?.lo)}, ${fmt(pooled.auc?.hi)}] over ${pooled.runIds.length} run(s)`;
  if (excess.lo === null || aucLo === null) return { status: 'not-evaluated', detail: `${detail}: no interval (needs at least two runs or bootstrap intervals)` };
  if (excess.lo <= t.minF1AboveChance) return { status: 'fail', detail: `not predicted clearly above chance from the images: ${detail}` };
  if (aucLo <= t.minAucLowerBound) return { status: 'fail', detail: `AUC not clearly above ${t.minAucLowerBound}: ${detail}` };
  return { status: 'pass', detail: `predicted above chance (${detail})` };
}

function contributionOutcome(c: ParameterContribution | undefined, t: SelectionThresholds): CriterionOutcome {
  const parts = [
    ['removing its head', c?.removed],
    ['training it alone with malignancy', c?.alone],
  ] as const;
  const evaluated = parts.filter(([, d]) => d?.f1);
  if (evaluated.length === 0) return { status: 'not-evaluated', detail: 'contribution not evaluated (no ablation runs)' };
  const descriptions: string[] = [];
  let harmful = false;
  for (const [what, delta] of evaluated) {
    const f1 = delta!.f1!;
    // With one pair there is no interval: its single delta decides.
    const upper = f1.hi ?? f1.mean;
    const sameCases = delta!.caseTests.length
      ? `; same test cases: McNemar p ${delta!.caseTests.map((c) => formatPValue(c.mcnemarP)).join(', ')}, DeLong p ${delta!.caseTests.map((c) => formatPValue(c.delongP)).join(', ')}`
      : '';
    descriptions.push(`${what}: malignancy ΔF1 (with − without) ${signed(f1.mean)} [${fmt(f1.lo)}, ${fmt(f1.hi)}], paired t p ${formatPValue(delta!.f1P)}, ${f1.n} pair(s)${sameCases}`);
    if (upper < -t.maxHarm) harmful = true;
  }
  const detail = descriptions.join('; ');
  return harmful ? { status: 'fail', detail: `its head harms malignancy (${detail})` } : { status: 'pass', detail: `its head does not harm malignancy (${detail})` };
}

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1).replace(/\.0$/, '')}%`;
}
