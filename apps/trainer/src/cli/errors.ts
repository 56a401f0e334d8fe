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

/** A step whose library has not landed in this build yet. */
export class NotYetAvailableError extends CliError {
  constructor(what: string, needs: string, meanwhile?: string) {
    super(`${what} is not yet available in this build: it needs ${needs}, not wired into the trainer yet.${meanwhile ? ` ${meanwhile}` : ''}`, 3);
    this.name = 'NotYetAvailableError';
  }
}

export const EXIT_CODES = { failure: 1, badConfig: 2, notYetAvailable: 3, interrupted: 130 } as const;
