// One error for everything wrong with a config file, raised before any work starts.
import type { ConfigProblem } from './problems';

export interface LocatedProblem extends ConfigProblem {
  line?: number;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly LocatedProblem[],
  ) {
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const lines = sorted.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    super(`${file} has ${count}; nothing was started:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}
