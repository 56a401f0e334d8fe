// Runs the program and turns every way it can end into an exit code and a readable message.
import { CommanderError } from 'commander';
import { InvalidEnvironmentError } from '@ovus/tracking';
import { takeJournalNotice } from '../runtime/journal-notice';
import { ConfigError } from '../config';
import { parseTrainerEnv, type TrainerEnv } from '../runtime/env';
import type { CliContext } from './context';
import { CliError, EXIT_CODES } from './errors';
import type { CliIo } from './io';
import { createProgram } from './program';

export async function runCli(argv: readonly string[], io: CliIo, self: CliContext['self']): Promise<number> {
  const code = await runProgram(argv, io, self);
  // Writes that only reached the journal: say so whatever the outcome; a success becomes exit 4.
  const notice = takeJournalNotice();
  if (notice === null) return code;
  io.err(notice);
  return code === 0 ? EXIT_CODES.journaled : code;
}

async function runProgram(argv: readonly string[], io: CliIo, self: CliContext['self']): Promise<number> {
  let env: TrainerEnv | undefined;
  const context: CliContext = { io, self, env: () => (env ??= parseTrainerEnv()) };
  try {
    await createProgram(context).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message (and help where it fits).
      return error.exitCode === 0 ? 0 : EXIT_CODES.badConfig;
    }
    if (error instanceof ConfigError) {
      io.err(`${error.message}\n`);
      return EXIT_CODES.badConfig;
    }
    if (error instanceof CliError) {
      io.err(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof InvalidEnvironmentError) {
      io.err(`${error.message}\n`);
      return EXIT_CODES.badConfig;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    io.err(`${err.message}\n`);
    if (process.env.DEBUG?.includes('ovus')) io.err(`${err.stack}\n`);
    else io.err('(set DEBUG=ovus for the stack trace)\n');
    return EXIT_CODES.failure;
  }
}
