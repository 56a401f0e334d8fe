// The macro F1 a classifier with no information reaches, for a given class balance.
//
// If a model's predictions were shuffled against the truth (same true class counts n_c, same
// predicted counts m_c, no relation between them), each class's true positives are
// hypergeometric with mean n_c·m_c/n, and per-class F1 = 2·tp/(n_c + m_c) is linear in tp, so the
// expected macro F1 is exactly (1/k)·Σ_c 2·n_c·m_c / (n·(n_c + m_c)). For a model that always
// answers the majority class this equals its own F1 (it learnt nothing), and for predictions
// distributed like the truth it is 1/k — the most any label-blind predictor reaches in
// expectation (the sum is maximised at m = n). The excess of F1 over it is therefore the part
// of the score that comes from the images.
export function permutationChanceF1(confusion: readonly (readonly number[])[]): number | null {
  const k = confusion.length;
  if (k === 0) return null;
  const trueCounts = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predictedCounts = confusion[0].map((_, j) => confusion.reduce((s, row) => s + row[j], 0));
  const n = trueCounts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const denominator = trueCounts[c] + predictedCounts[c];
    if (denominator > 0) sum += (2 * trueCounts[c] * predictedCounts[c]) / (n * denominator);
  }
  return sum / k;
}
