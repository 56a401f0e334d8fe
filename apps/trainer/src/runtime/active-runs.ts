// The runs this process is training, so that a process about to die of an uncaught exception — a
// bug, or an error thrown from a callback outside the training loop's await chain — ends them as
// failed with the error, instead of leaving them 'running' until some worker marks them stale.
import { setTimeout as sleep } from 'node:timers/promises';

type FailRun = (errorText: string) => Promise<void>;

const active = new Map<string, FailRun>();

/** Registers a run being trained here; call the returned function when the attempt is over. */
export function trackActiveRun(runId: string, fail: FailRun): () => void {
  active.set(runId, fail);
  return () => {
    if (active.get(runId) === fail) active.delete(runId);
  };
}

/** The runs this process is training now (alive by definition, however late their heartbeat). */
export function activeRunIds(): string[] {
  return [...active.keys()];
}

/** Ends every tracked run as failed with `errorText`; waits at most `timeoutMs`. Returns their ids. */
export async function failActiveRuns(errorText: string, timeoutMs = 10_000): Promise<string[]> {
  const entries = [...active];
  active.clear();
  const ending = Promise.allSettled(entries.map(([, fail]) => fail(errorText)));
  await Promise.race([ending, sleep(timeoutMs, undefined, { ref: false })]);
  return entries.map(([runId]) => runId);
}

/**
 * On an uncaught exception (or unhandled rejection): print it, end the active runs as failed with
 * its message, and exit with code 1. Installed by the CLI's entry point (main.ts), which owns the
 * process: it is the only handler of these events (see below).
 */
export function installFatalErrorHandler(write: (text: string) => void, exit: (code: number) => void = (code) => process.exit(code)): void {
  let dying = false;
  const onFatal = (error: unknown, origin: NodeJS.UncaughtExceptionOrigin) => {
    const message = error instanceof Error ? error.message : String(error);
    if (dying) {
      write(`Another uncaught error while stopping: ${message}\n`);
      return;
    }
    dying = true;
    const what = origin === 'unhandledRejection' ? 'Unhandled promise rejection' : 'Uncaught exception';
    const text = `${what} in the trainer process: ${message}`.slice(0, 10_000);
    write(`${text}\n${error instanceof Error && error.stack ? `${error.stack}\n` : ''}`);
    void failActiveRuns(text)
      .then((runIds) => {
        if (runIds.length > 0) write(`Marked run(s) ${runIds.join(', ')} as failed.\n`);
      })
      .finally(() => exit(1));
  };
  process.on('uncaughtException', onFatal);
  // The tfjs wasm backend's Emscripten glue adds listeners that rethrow every uncaught exception and
  // unhandled rejection, which makes Node exit at once (code 7, printing the glue's minified source)
  // before the runs could be ended. This process's fatal errors are handled here, so listeners
  // added later are removed once added ('newListener' fires just before the listener is added).
  process.on('newListener', (event: string | symbol, listener: unknown) => {
    if ((event === 'uncaughtException' || event === 'unhandledRejection') && listener !== onFatal) {
      queueMicrotask(() => process.removeListener(event, listener as (...args: unknown[]) => void));
    }
  });
}
