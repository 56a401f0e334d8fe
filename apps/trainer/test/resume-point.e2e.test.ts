// The resume point of a run whose last checkpoint is also its best epoch includes that best model:
// if the resumed epochs do not beat it, the final scores need it (without it, a run resumed at its
// last epoch failed with "The best model (epoch N) is needed for the final scores, but no folder
// holds it" and took another attempt).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openTrackingDatabase } from '@ovus/tracking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchResumePoint } from '../src/runtime/run-checkpoints';
import { cli } from './cli-harness';
import { importPhantom, startE2e, TINY_RUN, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'resume-point-phantom');
});
afterAll(async () => {
  await e2e.cleanup();
});

describe('fetchResumePoint', () => {
  it('unpacks the best model also when the checkpoint is of the best epoch', async () => {
    // One epoch: its checkpoint is the best epoch so far (the only one).
    const sets = ['dataset.name=resume-point-phantom', 'backbone=mobilenet-v3-small', 'backboneOptions.widthMultiplier=0.25', 'epochs=1', 'backend=wasm'];
    const trained = await cli('train', ...[...sets, ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].flatMap((s) => ['--set', s]));
    expect(trained.code).toBe(0);
    const runId = /Run ([0-9a-f-]{36}) \(/.exec(trained.out)?.[1] as string;

    const database = await openTrackingDatabase({ databaseUrl: e2e.db.url });
    const workDir = await mkdtemp(join(e2e.dataDir, 'resume-point-'));
    try {
      const point = await fetchResumePoint(database, runId, workDir);
      expect(point?.bestModelDir).toBe(join(workDir, 'resume-best'));
      expect(await readdir(point?.bestModelDir as string)).toContain('model.json');
    } finally {
      await rm(workDir, { recursive: true, force: true });
      await database.close();
    }
  });
});
