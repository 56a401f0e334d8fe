// A run too big for the wasm heap (4 GiB) kills the engine of the process that trains it. Its run
// must end failed with what to change, its job must not be retried (the same settings fail the
// same way), and the worker process must be replaced by a fresh one — the dead instance would
// fail every run it claimed next — while the rest of the sweep trains normally.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createJobQueue } from '@ovus/jobs';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import { importPhantom, runRow, startCli, startE2e, TINY_RUN, type Child, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
let worker: Child | undefined;

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'crash-phantom');
});

afterAll(async () => {
  if (worker && worker.process.exitCode === null) worker.process.kill('SIGKILL');
  await e2e.cleanup();
});

describe('a run that does not fit in the wasm heap', () => {
  it('fails for good with what to change, and its worker process is replaced while the sweep goes on', async () => {
    const sweepFile = join(e2e.dataDir, 'crash-sweep.yaml');
    await writeFile(
      sweepFile,
      stringify({
        name: 'crash',
        project: 'e2e',
        base: { dataset: { name: 'crash-phantom' }, epochs: 1, ...TINY_RUN, backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 } },
        // 15 training pairs at 1024 px in one batch: a few early activations alone exceed 4 GiB.
        variants: [{ imageSize: 1024, batchSize: 16 }, { imageSize: 32 }, { imageSize: 32, seed: 1 }],
      }),
    );
    const submitted = await cli('sweep', sweepFile);
    expect(submitted.code).toBe(0);
    const sweepId = /Submitted sweep ([0-9a-f-]{36})/.exec(submitted.out)?.[1] as string;
    const { rows: runs } = await e2e.db.pool.query<{ id: string; image_size: number }>(
      'SELECT id, image_size FROM run WHERE sweep_id = $1 ORDER BY image_size DESC, seed',
      [sweepId],
    );
    const [big, ...small] = runs;
    expect(big?.image_size).toBe(1024);

    worker = startCli(e2e, ['worker', '--concurrency', '2', '--until-idle', '--backend', 'wasm', '--host', 'crashy', '--poll-seconds', '0.5', '--retry-delay-seconds', '0']);
    expect(await worker.exited).toBe(0);
    const output = worker.output();

    const bigRow = await runRow(e2e.db, big?.id as string);
    expect(bigRow?.status).toBe('failed');
    expect(bigRow?.error_text).toMatch(/The wasm engine ran out of memory training mobilenet-v3-small x0\.25 at 1024 px with batches of 16 image pair\(s\)/);
    expect(bigRow?.error_text).toMatch(/--set batchSize=8 --set gradientAccumulationSteps=2/);
    for (const run of small) expect((await runRow(e2e.db, run.id))?.status).toBe('finished');

    const queue = await createJobQueue(e2e.db.url);
    try {
      expect(await queue.getRunJob(big?.id as string)).toMatchObject({ state: 'failed', attempt: 1 });
    } finally {
      await queue.stop();
    }
    expect(output).toMatch(/asked for a fresh process; starting it again/);
    expect(output).not.toMatch(/restarting it \(its run returns/); // not treated as a crash of the worker
  });
});
