// Suggests the known name closest to a mistyped one. Levenshtein is hand-written: it is ten lines
// and no string-distance package is a dependency.

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo or abbreviation. */
export function didYouMean(input: string, candidates: readonly string[]): string | null {
  const needle = input.trim().toLowerCase().replace(/[\s-]+/g, '_');
  let best: { name: string; distance: number } | null = null;
  for (const name of candidates) {
    const distance = needle.length >= 3 && name.includes(needle) ? 1 : levenshtein(needle, name);
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (best === null) return null;
  const tolerance = Math.max(2, Math.floor(best.name.length / 3));
  return best.distance <= tolerance ? best.name : null;
}
