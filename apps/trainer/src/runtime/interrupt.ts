// Ctrl-C (SIGINT) or SIGTERM while a run trains in this process (`train`, `train --resume`,
// `rerun --here`): stop at the next batch, mark the run killed with how to continue it, and exit
// with 130. A second signal exits at once (the run then stays 'running' until marked stale).
import { CliError, EXIT_CODES } from '../cli/errors';

/** The reason a run stopped because this process was asked to stop. */
export class RunInterruptedError extends CliError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`Interrupted by ${signal}.`, EXIT_CODES.interrupted);
    this.name = 'RunInterruptedError';
  }
}

export interface Interrupt {
  /** Aborted, with a RunInterruptedError, on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  dispose(): void;
}

export function interruptOnSignals(log: (line: string) => void): Interrupt {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted);
    log(`${signal} received: stopping after the current batch (send it again to quit at once)`);
    controller.abort(new RunInterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
