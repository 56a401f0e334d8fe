// Picks the display: a live bar on a terminal, plain periodic lines otherwise (CI logs,
// Kubernetes pods, pipes). Commands ask it for one TrainingProgress per run.
import type cliProgress from 'cli-progress';
import { BarProgress, createMultiBar } from './bar-progress';
import { PlainProgress } from './plain-progress';
import type { TrainingProgress } from './types';

export interface ProgressDisplay {
  forRun(label: string): TrainingProgress;
  /** Restores the terminal (cursor) after the last run. */
  close(): void;
}

export interface ProgressDisplayOptions {
  stream?: NodeJS.WriteStream;
  /** Force a mode; default: bar when the stream is a TTY. */
  mode?: 'bar' | 'plain';
  /** Plain mode: least time between step lines. */
  intervalMs?: number;
}

export function createProgressDisplay(options: ProgressDisplayOptions = {}): ProgressDisplay {
  const stream = options.stream ?? process.stdout;
  const mode = options.mode ?? (stream.isTTY ? 'bar' : 'plain');
  if (mode === 'plain') {
    return {
      forRun: (label) => new PlainProgress({ label, write: (line) => stream.write(line), intervalMs: options.intervalMs }),
      close: () => undefined,
    };
  }
  let multibar: cliProgress.MultiBar | undefined;
  return {
    forRun: (label) => new BarProgress((multibar ??= createMultiBar(stream)), label),
    close: () => multibar?.stop(),
  };
}
