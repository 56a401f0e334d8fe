// The command-line interface: one commander program, one file per command.
import { Command } from 'commander';
import { registerDbCommand } from '../commands/db';
import { registerDemoCommand } from '../commands/demo';
import { registerJournalCommand } from '../commands/journal';
import { registerImportCommand } from '../commands/import';
import { registerIotaCommand } from '../commands/iota';
import { registerPredictCommand } from '../commands/predict';
import { registerRerunCommand } from '../commands/rerun';
import { registerSelectCommand } from '../commands/select';
import { registerSweepCommand } from '../commands/sweep';
import { registerSynthCommand } from '../commands/synth';
import { registerTrainCommand } from '../commands/train';
import { registerUserCommand } from '../commands/user';
import { registerWorkerCommand } from '../commands/worker';
import type { CliContext } from './context';

export function createProgram(context: CliContext): Command {
  const program = new Command()
    .name('ovus')
    .description('Train, compare and explain multi-task models on paired BMUS/CEUS ovarian-tumour ultrasound.')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: context.io.out, writeErr: context.io.err })
    .exitOverride();
  for (const register of [
    registerImportCommand,
    registerSynthCommand,
    registerTrainCommand,
    registerSweepCommand,
    registerWorkerCommand,
    registerRerunCommand,
    registerSelectCommand,
    registerDemoCommand,
    registerJournalCommand,
    registerDbCommand,
    registerUserCommand,
    registerPredictCommand,
    registerIotaCommand,
  ]) {
    register(program, context);
  }
  // Commander calls process.exit for its own errors unless every command, nested ones too, overrides it.
  const override = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({ writeOut: context.io.out, writeErr: context.io.err });
      override(sub);
    }
  };
  override(program);
  return program;
}
