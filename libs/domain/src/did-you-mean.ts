// "Did you mean …?" for every name a person types: config keys and choices, manifest columns,
// backbones. Hand-written: it is twenty lines, and no string-distance package is a dependency
// (commander keeps its own copy private).

/** Optimal-string-alignment distance: Levenshtein plus swapping two adjacent letters. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Case and word separators do not count: 'Learning_Rate', 'learning-rate' and 'learningRate' are one name. */
function comparable(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The closest candidate, if it is close enough to be a plausible typo or abbreviation: within a
 * third of the name's length in edits, or a candidate that contains what was typed (3+ letters).
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const needle = comparable(input);
  let best: { candidate: string; distance: number; length: number } | undefined;
  for (const candidate of candidates) {
    const name = comparable(candidate);
    const distance = needle.length >= 3 && name !== needle && name.includes(needle) ? 1 : editDistance(needle, name);
    if (!best || distance < best.distance) best = { candidate, distance, length: name.length };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(needle.length, best.length) / 3));
  return best.distance <= allowed ? best.candidate : undefined;
}

/** " — did you mean 'x'?" when a candidate is close, else ''. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match ? ` — did you mean '${match}'?` : '';
}
