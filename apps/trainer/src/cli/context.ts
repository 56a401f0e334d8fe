// What every command gets: where to write, the validated environment, and how to start another
// copy of this CLI (for worker processes).
import type { CliIo } from './io';
import type { TrainerEnv } from '../runtime/env';

export interface CliContext {
  io: CliIo;
  env: () => TrainerEnv;
  /** node + arguments that run this CLI's entry (main.ts through tsx). */
  self: { file: string; args: string[] };
}
