// Option parsing and the entry point shared by the bench scripts that are commander programs.
import type { Command } from 'commander';

/** A commander parser for `--<name> <n>`: a positive integer, or an error naming the option. */
export const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
};

/** Runs the program; a failure prints its message (no stack) and sets exit code 1. */
export function runProgram(program: Command): void {
  program.parseAsync().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
