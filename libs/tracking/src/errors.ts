// Errors a caller can act on. Each says what was wrong, where, and what to do.

/** A call with bad arguments; nothing was written. */
export class TrackingInputError extends Error {
  override name = 'TrackingInputError';
}

export class UnknownRunError extends Error {
  override name = 'UnknownRunError';
  constructor(readonly runId: string) {
    super(`Run ${runId} does not exist. Create it with startRun/createRun first, or check the id.`);
  }
}

export class ParamConflictError extends Error {
  override name = 'ParamConflictError';
  constructor(
    readonly runId: string,
    readonly conflicts: readonly { key: string; stored: string; given: string }[],
  ) {
    super(
      `Params of run ${runId} are set once and cannot change: ` +
        conflicts.map((c) => `'${c.key}' is '${c.stored}', not '${c.given}'`).join('; ') +
        '. Log a changed setting under a new key or as a tag.',
    );
  }
}
