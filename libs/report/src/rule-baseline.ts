// The rules scored like a model on a set of cases: how many they decide (coverage) and, among
// those, how well (sensitivity and specificity for malignancy), with Wilson 95% intervals — the
// interval for a proportion that stays inside [0, 1] and behaves at small counts, unlike the
// normal approximation. Hand-written: it is three lines of algebra, not worth a dependency.
import { DEFAULT_ASSUMPTIONS, evaluateSimpleRules, type ParameterValues, type RuleAssumptions, type RuleEvaluation, type Verdict } from './iota-simple-rules';

export interface RuleCase {
  caseId: string;
  parameters: ParameterValues;
  /** 0 benign, 1 malignant (the reference standard). */
  malignancy: number;
}

export interface Proportion {
  value: number;
  count: number;
  of: number;
  lo: number;
  hi: number;
}

export interface RuleBaselineSummary {
  n: number;
  counts: Record<Verdict, number>;
  /** Share of cases the rules decide (benign or malignant). */
  coverage: Proportion;
  /** On decided cases. NaN value when no decided case is malignant (or benign). */
  sensitivity: Proportion;
  specificity: Proportion;
  /** On every case, undecided ones (inconclusive and not evaluable) counted as malignant: IOTA's advice to refer them. */
  sensitivityUndecidedAsMalignant: Proportion;
  specificityUndecidedAsMalignant: Proportion;
  /** counts[true][predicted] over decided cases, classes [0, 1]. */
  confusion: number[][];
}

export interface RuleBaselineResult {
  cases: (RuleCase & { evaluation: RuleEvaluation })[];
  summary: RuleBaselineSummary;
}

export function wilson(count: number, of: number, z = 1.959963984540054): Proportion {
  if (of === 0) return { value: Number.NaN, count, of, lo: Number.NaN, hi: Number.NaN };
  const p = count / of;
  const denominator = 1 + (z * z) / of;
  const centre = (p + (z * z) / (2 * of)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / of + (z * z) / (4 * of * of))) / denominator;
  return { value: p, count, of, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

export function runRuleBaseline(cases: readonly RuleCase[], assumptions: RuleAssumptions = DEFAULT_ASSUMPTIONS): RuleBaselineResult {
  const evaluated = cases.map((c) => ({ ...c, evaluation: evaluateSimpleRules(c.parameters, assumptions) }));
  const counts: Record<Verdict, number> = { benign: 0, malignant: 0, inconclusive: 0, 'not-evaluable': 0 };
  const confusion = [
    [0, 0],
    [0, 0],
  ];
  let malignantAll = 0;
  let malignantFlagged = 0;
  let benignAll = 0;
  let benignCleared = 0;
  for (const c of evaluated) {
    const verdict = c.evaluation.verdict;
    counts[verdict]++;
    const called = verdict === 'benign' ? 0 : 1; // undecided → malignant for the referral view
    if (verdict === 'benign' || verdict === 'malignant') confusion[c.malignancy][called]++;
    if (c.malignancy === 1) {
      malignantAll++;
      if (called === 1) malignantFlagged++;
    } else {
      benignAll++;
      if (called === 0) benignCleared++;
    }
  }
  const decided = counts.benign + counts.malignant;
  return {
    cases: evaluated,
    summary: {
      n: cases.length,
      counts,
      coverage: wilson(decided, cases.length),
      sensitivity: wilson(confusion[1][1], confusion[1][0] + confusion[1][1]),
      specificity: wilson(confusion[0][0], confusion[0][0] + confusion[0][1]),
      sensitivityUndecidedAsMalignant: wilson(malignantFlagged, malignantAll),
      specificityUndecidedAsMalignant: wilson(benignCleared, benignAll),
      confusion,
    },
  };
}

/**
 * The backbone under which `ovus iota` logs the rules as runs: exactly this on labelled parameters,
 * `iota-simple-rules/<network backbone>` on a network's predicted parameters.
 */
export const RULE_BASELINE_BACKBONE = 'iota-simple-rules';

/** Whether a run's backbone is a rule baseline rather than a network. */
export function isRuleBaselineBackbone(backbone: string): boolean {
  return backbone === RULE_BASELINE_BACKBONE || backbone.startsWith(`${RULE_BASELINE_BACKBONE}/`);
}

/** IOTA's published validation (Timmerman et al., Ultrasound Obstet Gynecol 2010; 1,938 tumours, 19 centres). */
export const IOTA_2010_VALIDATION = { coverage: 0.77, sensitivity: 0.92, specificity: 0.96 } as const;
