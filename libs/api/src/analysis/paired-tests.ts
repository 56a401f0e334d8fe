// Paired tests between two models on the same test cases, matched by case id: McNemar on whether
// each got the case right, DeLong on the AUC (binary tasks). Groups of runs (several seeds) are
// compared pair by pair — the i-th run of one group with the i-th of the other, in seed/fold order —
// and the matched cases of all pairs pooled, so every test case of every seed counts once.
// A rule baseline (hard verdicts, stored for the cases it decided only) is tested on the cases it
// decided, and said so; DeLong's test needs a ranking, which a hard verdict is not.
import { delongTest, mcnemarFromCounts, type McNemarResult } from '@ovus/ml-metrics';
import type { CasePredictionInput } from '@ovus/tracking';

export const ALPHA = 0.05;

export interface McNemarSummary {
  /** Cases A got right and B got wrong. */
  b: number;
  /** Cases A got wrong and B got right. */
  c: number;
  statistic: number;
  pValue: number;
  method: McNemarResult['method'];
}

export interface DeLongSummary {
  aucA: number;
  aucB: number;
  difference: number;
  statistic: number;
  pValue: number;
}

export interface PairedComparison {
  /** Labelled cases both sides predicted (summed over pairs of runs for groups). */
  cases: number;
  mcnemar: McNemarSummary | null;
  /** Null for multi-class tasks, or when the cases hold one class only. */
  delong: DeLongSummary | null;
  /** Set when no test was possible, saying why. */
  refused: string | null;
  /**
   * Set when a side is a rule baseline: the test ran on the cases the rules decided (`cases`), out
   * of `of` test cases of the model side (null when both sides are rule baselines).
   */
  decided: { of: number | null } | null;
  /** What the numbers mean, in one or two plain sentences. */
  sentence: string;
}

interface Matched {
  labels: number[];
  predA: number[];
  predB: number[];
  scoreA: number[];
  scoreB: number[];
}

/** Matches the cases of each pair of runs by id (labelled on both sides, same label). */
function match(pairs: readonly (readonly [readonly CasePredictionInput[], readonly CasePredictionInput[]])[], positiveIndex: number | null): Matched & { labelConflicts: number } {
  const out: Matched & { labelConflicts: number } = { labels: [], predA: [], predB: [], scoreA: [], scoreB: [], labelConflicts: 0 };
  for (const [a, b] of pairs) {
    const byCase = new Map(b.map((p) => [p.caseId, p]));
    for (const pa of a) {
      const pb = byCase.get(pa.caseId);
      if (!pb || pa.label === null || pb.label === null) continue;
      if (pa.label !== pb.label) {
        out.labelConflicts += 1;
        continue;
      }
      out.labels.push(pa.label);
      out.predA.push(pa.predicted);
      out.predB.push(pb.predicted);
      if (positiveIndex !== null) {
        out.scoreA.push(pa.probabilities[positiveIndex] ?? Number.NaN);
        out.scoreB.push(pb.probabilities[positiveIndex] ?? Number.NaN);
      }
    }
  }
  return out;
}

const p = (value: number) => (value < 0.001 ? 'p < 0.001' : `p = ${value.toFixed(3)}`);

export interface CompareOptions {
  nameA: string;
  nameB: string;
  /** The task's class codes in probability order, and its positive code (null: multi-class). */
  codes: readonly number[];
  positiveCode: number | null;
  split: string;
  /**
   * Which sides give hard verdicts (rule baselines, predictions for the decided cases only) rather
   * than a model's probabilities. Absent: both are models.
   */
  hardVerdicts?: { a: boolean; b: boolean };
}

/** Labelled predictions of a side (what "of N test cases" counts). */
const labelled = (predictions: readonly CasePredictionInput[]) => predictions.filter((p) => p.label !== null).length;

export function comparePaired(
  pairs: readonly (readonly [readonly CasePredictionInput[], readonly CasePredictionInput[]])[],
  options: CompareOptions,
): PairedComparison {
  const positiveIndex = options.positiveCode === null ? null : options.codes.indexOf(options.positiveCode);
  const hardA = options.hardVerdicts?.a === true;
  const hardB = options.hardVerdicts?.b === true;
  const rules = hardA || hardB;
  const m = match(pairs, positiveIndex !== null && positiveIndex >= 0 && !rules ? positiveIndex : null);
  const noPredictions = pairs.every(([a, b]) => a.length === 0 || b.length === 0);
  const decided = !rules ? null : { of: hardA && hardB ? null : pairs.reduce((sum, [a, b]) => sum + labelled(hardA ? b : a), 0) };
  if (m.labels.length === 0) {
    const ruleNames = [...(hardA ? [options.nameA] : []), ...(hardB ? [options.nameB] : [])].join(' or ');
    const refused = noPredictions
      ? rules && pairs.every(([a, b]) => (hardA && a.length === 0) || (hardB && b.length === 0))
        ? `${ruleNames} has no stored per-case predictions on the ${options.split} split (the rules decided no case, or were logged before \`ovus iota\` stored them: run \`ovus iota --run <network run>\` again): a paired test needs them.`
        : `${options.nameA} or ${options.nameB} has no stored per-case predictions on the ${options.split} split (runs trained before they were kept, or not finished): a paired test needs them.`
      : m.labelConflicts > 0
        ? `${options.nameA} and ${options.nameB} label the same case ids differently (${m.labelConflicts} cases): they were trained on different data, so no paired test applies.`
        : `${options.nameA} and ${options.nameB} share no ${options.split} cases (different dataset versions or splits): a paired test needs the same cases.`;
    return { cases: 0, mcnemar: null, delong: null, refused, decided, sentence: refused };
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < m.labels.length; i += 1) {
    const aRight = m.predA[i] === m.labels[i];
    const bRight = m.predB[i] === m.labels[i];
    if (aRight && !bRight) b += 1;
    else if (!aRight && bRight) c += 1;
  }
  const test = mcnemarFromCounts(b, c);
  const mcnemar: McNemarSummary = { b, c, statistic: test.statistic, pValue: test.pValue, method: test.method };
  let delong: DeLongSummary | null = null;
  let delongNote = options.positiveCode === null ? ' DeLong\'s test applies to two-class tasks only.' : '';
  if (rules) {
    const ruleNames = [...(hardA ? [options.nameA] : []), ...(hardB ? [options.nameB] : [])].join(' and ');
    delongNote = ` DeLong's test does not apply: ${ruleNames} ${hardA && hardB ? 'give' : 'gives'} hard verdicts (benign or malignant), not probabilities that rank the cases.`;
  } else if (positiveIndex !== null && positiveIndex >= 0) {
    const finite = m.scoreA.every(Number.isFinite) && m.scoreB.every(Number.isFinite);
    const hasBoth = m.labels.some((l) => l === options.positiveCode) && m.labels.some((l) => l !== options.positiveCode);
    if (finite && hasBoth) {
      const d = delongTest(m.labels, m.scoreA, m.scoreB, options.positiveCode as number);
      delong = { aucA: d.aucA, aucB: d.aucB, difference: d.difference, statistic: d.statistic, pValue: d.pValue };
    } else {
      delongNote = finite ? ' The shared cases hold one class only, so the AUC is undefined.' : ' Some probabilities are not finite (a diverged model), so the AUC is undefined.';
    }
  }
  const verdict = (pValue: number) => (pValue < ALPHA ? 'unlikely to be chance (α = 0.05)' : 'could be chance (α = 0.05)');
  const on = !decided
    ? `On ${m.labels.length} shared ${options.split} cases`
    : decided.of === null
      ? `On the ${m.labels.length} ${options.split} cases both rule baselines decided`
      : `On the ${m.labels.length} of ${decided.of} ${options.split} cases the rules decided`;
  let sentence =
    `${on}, ${options.nameA} was right where ${options.nameB} was wrong ${b} time${b === 1 ? '' : 's'}, ` +
    `and the reverse ${c} time${c === 1 ? '' : 's'}: McNemar's test ${p(test.pValue)}, so the difference in accuracy ${verdict(test.pValue)}.`;
  if (delong) {
    sentence += ` AUC ${delong.aucA.toFixed(3)} vs ${delong.aucB.toFixed(3)}: DeLong's test ${p(delong.pValue)}, the difference ${verdict(delong.pValue)}.`;
  }
  sentence += delongNote;
  if (m.labelConflicts > 0) sentence += ` ${m.labelConflicts} case ids with different labels were left out.`;
  return { cases: m.labels.length, mcnemar, delong, refused: null, decided, sentence };
}
