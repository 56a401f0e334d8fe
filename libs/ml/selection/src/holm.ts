// Holm's step-down correction for multiple comparisons (controls the family-wise error rate, with
// no assumption about dependence between the tests): the i-th smallest of m p-values is multiplied
// by (m − i + 1), then made monotone and capped at 1. Null p-values (untestable hypotheses) are not
// counted in m and stay null.
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues.map((p, i) => ({ p, i })).filter((e): e is { p: number; i: number } => e.p !== null);
  for (const { p, i } of tested) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: p-value ${p} at position ${i} is not in [0, 1].`);
  }
  tested.sort((a, b) => a.p - b.p || a.i - b.i);
  const m = tested.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  tested.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
