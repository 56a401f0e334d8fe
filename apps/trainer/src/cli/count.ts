/** "1 case", "257 cases": a count with its noun, the way a sentence reads. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
