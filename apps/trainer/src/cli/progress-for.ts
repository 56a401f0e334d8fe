import { createProgressDisplay, type ProgressDisplay } from '../progress';
import type { CliContext } from './context';

export function progressDisplayFor(context: CliContext): ProgressDisplay {
  const env = context.env();
  return createProgressDisplay({
    stream: context.io.stdout,
    mode: env.OVUS_PROGRESS,
    intervalMs: env.OVUS_PROGRESS_INTERVAL_SECONDS * 1000,
  });
}
