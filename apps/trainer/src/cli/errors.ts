// Errors the CLI turns into a message and an exit code (no stack trace: the message is the help).

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * journaled: the command did its work but the database was unreachable at the end, so some writes
 * (e.g. a run's ending) are only in the local journal; `ovus journal replay` writes them in.
 * engineRestart: a worker stopped because its training engine can no longer be used in this
 * process (e.g. the wasm heap ran out); started again, it gets a fresh one.
 * The table with what each means for the user is in apps/trainer/README.md.
 */
export const EXIT_CODES = { failure: 1, badConfig: 2, refused: 3, journaled: 4, engineRestart: 75, interrupted: 130 } as const;
