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

export const EXIT_CODES = { failure: 1, badConfig: 2, refused: 3, interrupted: 130 } as const;
