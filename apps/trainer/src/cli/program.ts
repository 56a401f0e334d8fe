// The command-line interface: one commander program, one file per command.
import { Command } from 'commander';
import { registerDemoCommand } from '../commands/demo';
import { registerImportCommand } from '../commands/import';
import { registerIotaCommand } from '../commands/iota';
import { registerPredictCommand } from '../commands/predict';
import { registerRerunCommand } from '../commands/rerun';
import { registerSweepCommand } from '../commands/sweep';
import { registerSynthCommand } from '../commands/synth';
import { registerTrainCommand } from '../commands/train';
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
    registerDemoCommand,
    registerPredictCommand,
    registerIotaCommand,
  ]) {
    register(program, context);
  }
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: context.io.out, writeErr: context.io.err });
  return program;
}
