// Runs the CLI in this process with captured output.
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/run-cli';
import type { CliIo } from '../src/cli/io';

export const mainFile = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stream = () => new PassThrough() as unknown as NodeJS.WriteStream;
  const io: CliIo = {
    stdout: stream(),
    stderr: stream(),
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  };
  const code = await runCli(argv, io, { file: process.execPath, args: ['--import', 'tsx', mainFile] });
  return { code, out, err };
}
