/**
 * Sorts case indices by descending score. A typed-array sort of indices keeps it O(n log n) and
 * allocation-light; ties keep no particular order (callers group them).
 */
export function orderByScoreDescending(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b] - scores[a]);
}

/**
 * Midranks (1-based; tied values share the mean of the ranks they span), in O(n log n).
 * The Mann–Whitney form of the AUC and DeLong's structural components (Sun & Xu 2014) are both
 * built on these.
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    // Positions start..end (0-based) hold equal values: ranks start+1..end+1, mean (start+end)/2+1.
    const rank = (start + end) / 2 + 1;
    for (let p = start; p <= end; p++) ranks[order[p]] = rank;
    start = end + 1;
  }
  return ranks;
}
