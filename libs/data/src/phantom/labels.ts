// Which labels the phantom's cases carry. By default exactly the paper's dataset table: within
// each class (benign, malignant), each parameter's codes are a shuffled list holding exactly the
// table's counts, so every parameter's association with malignancy is the paper's. Other case
// counts scale those proportions (largest-remainder rounding keeps the totals exact).
import { CLINICAL_PARAMETERS, PAPER_CLASS_COUNTS, PAPER_LABEL_COUNTS, TASKS, type ClinicalParameter } from '@ovus/domain';
import { nextInt, shuffled, type Rng } from '../random';

export interface PhantomLabels {
  labels: Record<ClinicalParameter, number>;
  malignancy: 0 | 1;
}

const PAPER_TOTAL = PAPER_CLASS_COUNTS.benign + PAPER_CLASS_COUNTS.malignant;

/** Splits `total` into integer parts proportional to `weights` (largest remainder, ties to the first). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    out[i]++;
    left--;
  }
  return out;
}

export function phantomClassCounts(cases: number): { benign: number; malignant: number } {
  let [benign, malignant] = apportion(cases, [PAPER_CLASS_COUNTS.benign, PAPER_CLASS_COUNTS.malignant]);
  // Two classes whenever there are two cases: a one-class dataset cannot be split or scored.
  if (cases >= 2 && malignant === 0) [benign, malignant] = [benign - 1, 1];
  if (cases >= 2 && benign === 0) [benign, malignant] = [1, malignant - 1];
  return { benign, malignant };
}

/**
 * Per parameter and class, how many cases carry each code. Parameters listed in `independent`
 * get the same code proportions in both classes (the paper's pooled proportions): no association
 * with malignancy is planted for them.
 */
export function phantomLabelCounts(
  cases: number,
  independent: readonly ClinicalParameter[] = [],
): Record<ClinicalParameter, { benign: Record<number, number>; malignant: Record<number, number> }> {
  const classes = phantomClassCounts(cases);
  const scaled = (parameter: ClinicalParameter, group: 'benign' | 'malignant') => {
    const codes = TASKS[parameter].codes;
    const paper = codes.map((c) =>
      independent.includes(parameter)
        ? (PAPER_LABEL_COUNTS[parameter].benign[c] ?? 0) + (PAPER_LABEL_COUNTS[parameter].malignant[c] ?? 0)
        : (PAPER_LABEL_COUNTS[parameter][group][c] ?? 0),
    );
    const counts = cases === PAPER_TOTAL && !independent.includes(parameter) ? paper : apportion(classes[group], paper);
    return Object.fromEntries(codes.map((c, i) => [c, counts[i]]));
  };
  return Object.fromEntries(
    CLINICAL_PARAMETERS.map((p) => [p, { benign: scaled(p, 'benign'), malignant: scaled(p, 'malignant') }]),
  ) as ReturnType<typeof phantomLabelCounts>;
}

/** Labels for `cases` cases: benign ones first, then malignant (the caller shuffles identities). */
export function drawPhantomLabels(cases: number, rng: Rng, independent: readonly ClinicalParameter[] = []): PhantomLabels[] {
  const classes = phantomClassCounts(cases);
  const counts = phantomLabelCounts(cases, independent);
  const out: PhantomLabels[] = [];
  for (const [group, malignancy] of [['benign', 0], ['malignant', 1]] as const) {
    const columns = Object.fromEntries(
      CLINICAL_PARAMETERS.map((p) => {
        const list = Object.entries(counts[p][group]).flatMap(([code, n]) => Array<number>(n).fill(Number(code)));
        return [p, shuffled(rng, list)];
      }),
    ) as Record<ClinicalParameter, number[]>;
    for (let i = 0; i < classes[group]; i++) {
      const labels = Object.fromEntries(CLINICAL_PARAMETERS.map((p) => [p, columns[p][i]])) as Record<ClinicalParameter, number>;
      out.push({ labels, malignancy });
    }
  }
  return out;
}

/**
 * Groups case indices into patients: most have one case, about a tenth of patients have two
 * (always of the same class), so patient-level splitting has something to do.
 */
export function drawPatients(labels: readonly PhantomLabels[], rng: Rng): number[][] {
  const patients: number[][] = [];
  for (const malignancy of [0, 1] as const) {
    const indices = shuffled(
      rng,
      labels.map((l, i) => ({ l, i })).filter((e) => e.l.malignancy === malignancy).map((e) => e.i),
    );
    // n cases with d two-case patients make n - d patients; d ≈ 10% of them → d ≈ n / 11.
    const jitter = indices.length >= 22 ? nextInt(rng, -1, 1) : 0;
    const doubles = Math.max(0, Math.min(Math.floor(indices.length / 2), Math.round(indices.length / 11) + jitter));
    for (let d = 0; d < doubles; d++) patients.push([indices[2 * d], indices[2 * d + 1]]);
    for (let i = 2 * doubles; i < indices.length; i++) patients.push([indices[i]]);
  }
  return patients;
}
