// Entry point: `npm run trainer -- <command>` (tsx apps/trainer/src/main.ts).
import { fileURLToPath } from 'node:url';
import { processIo } from './cli/io';
import { runCli } from './cli/run-cli';

// Worker processes start this same file with the same loader flags (tsx) this process has.
const self = { file: process.execPath, args: [...process.execArgv, fileURLToPath(import.meta.url)] };
// Every command awaits and closes what it starts (database, queue, tracking client), so the process
// ends by itself once the command returns, with this code. (test/process-exit.test.ts checks it.)
process.exitCode = await runCli(process.argv.slice(2), processIo(), self);
