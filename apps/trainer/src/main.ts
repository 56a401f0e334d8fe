// Entry point: `npm run trainer -- <command>` (tsx apps/trainer/src/main.ts).
import { fileURLToPath } from 'node:url';
import { processIo } from './cli/io';
import { runCli } from './cli/run-cli';

// Worker processes start this same file with the same loader flags (tsx) this process has.
const self = { file: process.execPath, args: [...process.execArgv, fileURLToPath(import.meta.url)] };
const code = await runCli(process.argv.slice(2), processIo(), self);
// Everything a command starts is awaited and closed by now, but applying migrations leaves a
// 10-second timer behind (in @ovus/db's schema-engine path), which would hold every command that
// opens the database for 10 s after its work. stdout/stderr are synchronous on Linux, so exiting
// loses no output.
process.exit(code);
