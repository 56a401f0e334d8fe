// `train --resume` (and `rerun --here`) on a run the queue holds would train it twice: refused while
// its job waits or a worker runs it, saying which worker; --take-over cancels a waiting job and
// trains the run here. The "worker" holding the job is a real queue claim by this test process.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createJobQueue, type JobQueue } from '@ovus/jobs';
import { recordRunEnvironment, setRunStatus } from '@ovus/tracking';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import { importPhantom, runRow, startE2e, TINY_RUN, waitFor, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
let standIn: JobQueue | undefined;

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'guard-phantom');
});

afterAll(async () => {
  await standIn?.stop();
  await e2e.cleanup();
});

describe('resuming a run the queue holds', () => {
  it('is refused while its job waits or runs, and --take-over takes a waiting one', async () => {
    const sweepFile = join(e2e.dataDir, 'guard-sweep.yaml');
    await writeFile(
      sweepFile,
      stringify({
        name: 'guard',
        project: 'e2e',
        base: { dataset: { name: 'guard-phantom' }, backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 }, epochs: 2, backend: 'wasm', ...TINY_RUN },
      }),
    );
    expect((await cli('sweep', sweepFile)).code).toBe(0);
    const { rows } = await e2e.db.pool.query<{ id: string }>('SELECT id FROM run');
    const runId = rows[0].id;

    // Queued: a worker will take it.
    const queued = await cli('train', '--resume', runId);
    expect(queued.code).toBe(3);
    expect(queued.err).toContain(`Run ${runId} is queued for workers (attempt 1 of 3); a worker will train it. To train it here instead, add --take-over: it cancels the queued job first.`);
    const rerunHere = await cli('rerun', runId, '--here');
    expect(rerunHere.code).toBe(3);
    expect(rerunHere.err).toContain('is queued for workers');

    // Claimed by a worker on gpu-node-7, which records itself on the run as a worker's attempt does.
    standIn = await createJobQueue(e2e.db.url);
    let claimed = false;
    let loseGpu = (): void => undefined;
    const working = standIn.work(
      async ({ runId: id, host, attempt }) => {
        await recordRunEnvironment(e2e.db.pool, id, { gitCommit: null, tfjsBackend: 'wasm', host, hardware: null, attempt });
        await setRunStatus(e2e.db.pool, id, 'running');
        claimed = true;
        await new Promise<void>((_, reject) => (loseGpu = () => reject(new Error('the stand-in worker lost its GPU'))));
      },
      { host: 'gpu-node-7' },
    );
    await waitFor('the stand-in worker to claim the run', async () => claimed);
    const active = await cli('train', '--resume', runId, '--take-over');
    expect(active.code).toBe(3);
    expect(active.err).toMatch(
      new RegExp(`^Run ${runId} is being trained by a worker on gpu-node-7 \\(attempt 1 of 3, claimed \\d+s ago, last heartbeat \\d+s ago\\); training it here too would train it twice\\. Wait for it to finish, or stop that worker`),
    );
    expect((await runRow(e2e.db, runId)).status).toBe('running'); // untouched

    // The attempt failed: the job waits for its retry.
    loseGpu();
    await waitFor('the job to wait for its retry', async () => (await standIn?.getRunJob(runId))?.state === 'retry');
    await standIn.stop();
    await working;
    standIn = undefined;
    const retry = await cli('train', '--resume', runId);
    expect(retry.code).toBe(3);
    expect(retry.err).toContain(`Run ${runId} is waiting in the queue to be retried (attempt 1 of 3 ended: the stand-in worker lost its GPU); a worker will train it. To train it here instead, add --take-over`);

    const takenOver = await cli('train', '--resume', runId, '--take-over');
    expect({ code: takenOver.code, err: takenOver.code === 0 ? '' : takenOver.err }).toEqual({ code: 0, err: '' });
    expect(takenOver.err).toContain(`cancelled the queued job of run ${runId}; training it here`);
    expect(await runRow(e2e.db, runId)).toMatchObject({ status: 'finished', attempt: 2 });
    const observer = await createJobQueue(e2e.db.url);
    try {
      expect((await observer.getRunJob(runId))?.state).toBe('cancelled');
    } finally {
      await observer.stop();
    }
  });

  it('--take-over goes only with --resume (train) or --here (rerun)', async () => {
    const train = await cli('train', '--take-over', '--set', 'dataset.name=guard-phantom', '--set', 'backbone=resnet18');
    expect(train.code).toBe(2);
    expect(train.err).toContain('--take-over goes with --resume <run>');
    const rerun = await cli('rerun', '00000000-0000-4000-8000-000000000000', '--take-over');
    expect(rerun.code).toBe(2);
    expect(rerun.err).toContain('--take-over goes with --here');
  });
});
