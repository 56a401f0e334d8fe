// However a training process ends, its run does not stay 'running': a failure ends it failed with
// the error, an uncaught exception too, Ctrl-C ends it killed with how to continue it — and the
// process then exits by itself (nothing it opened keeps it alive).
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPhantom, startCli, startE2e, TINY_RUN, waitFor, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'endings-phantom');
  await importPhantom(e2e, 'broken-phantom', 2);
});

afterAll(async () => {
  await e2e.cleanup();
});

const tinyRun = (dataset: string, epochs: number) =>
  [`dataset.name=${dataset}`, 'backbone=mobilenet-v3-small', 'backboneOptions.widthMultiplier=0.25', `epochs=${epochs}`, 'backend=wasm', ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
const asSets = (values: string[]) => values.flatMap((v) => ['--set', v]);

async function runRow(runId: string) {
  const { rows } = await e2e.db.pool.query<{ status: string; error_text: string | null }>('SELECT status, error_text FROM run WHERE id = $1', [runId]);
  return rows[0];
}

/**
 * Resolves with the exit code, or 'still running' if the process is alive `graceMs` after
 * `lastWords` appeared. The grace is not a speed target (a loaded machine may take seconds to
 * close the database): it only tells a process that hangs on an open handle from one that ends.
 */
async function exitAfter(child: ReturnType<typeof startCli>, lastWords: RegExp, graceMs = 60_000): Promise<number | null | 'still running'> {
  await waitFor(`'${lastWords.source}' in the output`, async () => lastWords.test(child.output()), 60_000).catch((error: Error) => {
    child.process.kill('SIGKILL');
    throw new Error(`${error.message}; the process wrote:\n${child.output()}`);
  });
  let timer: NodeJS.Timeout | undefined;
  const verdict = await Promise.race([child.exited, new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), graceMs)))]);
  clearTimeout(timer);
  if (verdict === 'still running') child.process.kill('SIGKILL');
  return verdict;
}

describe('how training processes end', () => {
  it('a run whose image was deleted after import ends failed, naming the file, and train exits by itself', async () => {
    const images = join(e2e.dataDir, 'broken-phantom', 'images');
    const victim = (await readdir(images)).sort()[0] as string;
    await rm(join(images, victim));

    const child = startCli(e2e, ['train', ...asSets(tinyRun('broken-phantom', 2))]);
    // The CLI's last line, printed after the database is closed.
    const code = await exitAfter(child, /set DEBUG=ovus for the stack trace/);
    expect({ code, output: child.output() }).toMatchObject({ code: 1 });
    expect(child.output()).toContain(`FAILED before training started: Cannot read image '${join(images, victim)}'`);
    const runId = /Run ([0-9a-f-]{36}) \(/.exec(child.output())?.[1] as string;
    const row = await runRow(runId);
    expect(row.status).toBe('failed');
    expect(row.error_text).toContain(`Cannot read image '${join(images, victim)}'`);
  });

  it('an uncaught exception in the middle of training ends the run failed with the error', async () => {
    const fixture = join(import.meta.dirname, 'fixtures/crash-during-training.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...tinyRun('endings-phantom', 3)], { env: e2e.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect({ code, output }).toMatchObject({ code: 1 });
    expect(output).not.toContain('training ended without a crash');
    const runId = /run ([0-9a-f-]{36})/.exec(output)?.[1] as string;
    expect(output).toContain(`Marked run(s) ${runId} as failed.`);
    const row = await runRow(runId);
    expect(row).toEqual({ status: 'failed', error_text: 'Uncaught exception in the trainer process: the progress display broke at epoch 1, step 2' });
  });

  it('Ctrl-C ends the run killed, saying how to continue it, with exit code 130', async () => {
    const child = startCli(e2e, ['train', ...asSets(tinyRun('endings-phantom', 50))]);
    await waitFor('training to start', async () => /start: 50 epochs/.test(child.output()), 60_000);
    child.process.kill('SIGINT');
    const code = await exitAfter(child, /Interrupted by SIGINT/);
    expect({ code, output: child.output() }).toMatchObject({ code: 130 });
    const runId = /Run ([0-9a-f-]{36}) \(/.exec(child.output())?.[1] as string;
    const row = await runRow(runId);
    expect(row.status).toBe('killed');
    expect(row.error_text).toMatch(new RegExp(`^Stopped after \\d+ epoch\\(s\\) on .+: Interrupted by SIGINT\\. Continue it from its last checkpoint with: npx ovus train --resume ${runId}$`));
  });
});
