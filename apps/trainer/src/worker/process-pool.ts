// Runs N copies of a worker as child processes. The wasm backend uses one thread per process in
// Node, so using N cores takes N processes (see @ovus/ml-engine recommendedWorkerConcurrency).
// The parent only supervises: it prefixes each child's output lines, forwards SIGTERM/SIGINT,
// and restarts a child that crashed (its claimed run is retried by the queue after its lease).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessPoolOptions {
  count: number;
  /** The command of child i (0-based). */
  command: (index: number) => { file: string; args: string[]; env?: NodeJS.ProcessEnv };
  write: (line: string) => void;
  /** Restarts allowed per child after a crash (non-zero exit or a signal). */
  maxRestarts?: number;
  restartDelayMs?: number;
  /** Exit codes that mean "restarting will not help" (bad input, missing feature): no restart. */
  finalExitCodes?: readonly number[];
  /** Exit codes that ask for a fresh process (not a crash): restarted at once, not counted. */
  freshStartExitCodes?: readonly number[];
}

export interface ProcessPool {
  /** Resolves with 0 when every child ended cleanly, else 1. */
  done: Promise<number>;
  /** Asks every child to stop (SIGTERM) and stops restarting them. */
  stop(signal?: NodeJS.Signals): void;
}

export function startProcessPool(options: ProcessPoolOptions): ProcessPool {
  const { count, maxRestarts = 5, restartDelayMs = 1000 } = options;
  const running = new Set<ChildProcess>();
  let stopping = false;

  const runChild = async (index: number): Promise<number> => {
    const label = `[w${index + 1}]`;
    for (let restarts = 0; ; restarts += 1) {
      const { file, args, env } = options.command(index);
      const child = spawn(file, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => options.write(`${label} ${line}\n`));
      }
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
        child.once('error', (error) => {
          options.write(`${label} could not start: ${error.message}\n`);
          resolve([1, null]);
        });
        child.once('close', (c, s) => resolve([c, s]));
      });
      running.delete(child);
      if (code === 0 || stopping) return code === 0 ? 0 : 1;
      if (code !== null && options.freshStartExitCodes?.includes(code)) {
        options.write(`${label} asked for a fresh process; starting it again\n`);
        restarts -= 1;
        continue;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (code !== null && options.finalExitCodes?.includes(code)) {
        options.write(`${label} ${how}; not restarting it (the same cause would stop it again)\n`);
        return 1;
      }
      if (restarts >= maxRestarts) {
        options.write(`${label} ${how}; not restarting it again after ${maxRestarts} restarts\n`);
        return 1;
      }
      options.write(`${label} ${how}; restarting it (its run returns to the queue when its lease ends)\n`);
      await sleep(restartDelayMs);
      if (stopping) return 1;
    }
  };

  const done = Promise.all(Array.from({ length: count }, (_, i) => runChild(i))).then((codes) => (codes.every((c) => c === 0) ? 0 : 1));
  return {
    done,
    stop: (signal = 'SIGTERM') => {
      stopping = true;
      for (const child of running) child.kill(signal);
    },
  };
}
