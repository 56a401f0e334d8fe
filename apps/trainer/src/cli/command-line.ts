// The commands messages tell a person to run. One place spells them, so that every hint works
// when pasted in the project folder: `npx ovus` is the trainer's bin (apps/trainer/package.json).
import { isAbsolute, relative, resolve } from 'node:path';

export const OVUS = 'npx ovus';

/** A word the shell passes through unchanged, quoted only when it must be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A path as typed from the current folder: relative when inside it, else absolute (unquoted). */
export function pathFromHere(path: string): string {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}

/** `npx ovus <words…>`, each word quoted for the shell where needed. */
export function ovusCommand(...words: string[]): string {
  return [OVUS, ...words.map(shellWord)].join(' ');
}
