// Entry point: `npx ovus <command>` (bin/ovus.mjs) or `npm run trainer -- <command>` (tsx).
import { fileURLToPath } from 'node:url';
import { processIo } from './cli/io';
import { runCli } from './cli/run-cli';
import { installFatalErrorHandler } from './runtime/active-runs';

// A crash must not leave the runs this process trains 'running': they are ended as failed first.
installFatalErrorHandler((text) => void process.stderr.write(text));
// Worker processes start this same file with the same loader flags (tsx) this process has. Under
// the `ovus` bin tsx is registered in-process, with no flag to copy: then it is passed explicitly.
const loader = process.execArgv.some((arg) => arg.includes('tsx')) ? [] : ['--import', import.meta.resolve('tsx')];
const self = { file: process.execPath, args: [...process.execArgv, ...loader, fileURLToPath(import.meta.url)] };
// Every command awaits and closes what it starts (database, queue, tracking client), so the process
// ends by itself once the command returns, with this code (test/run-endings.e2e.test.ts checks it).
process.exitCode = await runCli(process.argv.slice(2), processIo(), self);
