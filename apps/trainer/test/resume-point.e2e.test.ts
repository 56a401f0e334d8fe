// The resume point of a run whose last checkpoint is also its best epoch includes that best model:
// if the resumed epochs do not beat it, the final scores need it (without it, a run resumed at its
// last epoch failed with "The best model (epoch N) is needed for the final scores, but no folder
// holds it" and took another attempt).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TASKS, type TaskName } from '@ovus/domain';
import { openTrackingDatabase } from '@ovus/tracking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestModelArtifact, fetchResumePoint } from '../src/runtime/run-checkpoints';
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

      // The finished run kept every validation and test case's prediction per task, and they are
      // the ones its scores were computed from.
      const run = await database.runs.get(runId);
      const split = await database.splits.get(run?.splitId as string);
      const results = await database.store.getTaskResults(runId);
      for (const part of ['validation', 'test'] as const) {
        for (const task of run?.tasks ?? []) {
          const predictions = await database.predictions.forRun(runId, { split: part, task });
          expect(predictions.map((p) => p.caseId)).toEqual([...(split?.parts[part] ?? [])].sort());
          for (const p of predictions) expect(TASKS[task as TaskName].codes[p.probabilities.indexOf(Math.max(...p.probabilities))]).toBe(p.predicted);
          const labelled = predictions.filter((p) => p.label !== null);
          const accuracy = labelled.filter((p) => p.label === p.predicted).length / labelled.length;
          expect(results.find((r) => r.task === task && r.split === part)?.accuracy.value).toBeCloseTo(accuracy, 10);
        }
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
      await database.close();
    }
  });
});

describe('best-model artifacts', () => {
  it('keeps one best model per run however often validation improves, and its bytes only', async () => {
    const sets = ['dataset.name=resume-point-phantom', 'backbone=mobilenet-v3-small', 'backboneOptions.widthMultiplier=0.25', 'epochs=5', 'backend=wasm'];
    const tiny = { ...TINY_RUN, optimizer: { learningRate: 0.003 } };
    const trained = await cli('train', ...[...sets, ...Object.entries(tiny).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].flatMap((s) => ['--set', s]));
    expect(trained.code).toBe(0);
    const runId = /Run ([0-9a-f-]{36}) \(/.exec(trained.out)?.[1] as string;

    // The epochs at which validation loss (the default selection metric) improved: each logged a best model.
    const { rows: losses } = await e2e.db.pool.query<{ value: number }>(
      "SELECT value FROM metric WHERE run_id = $1 AND key = 'val/loss' ORDER BY step",
      [runId],
    );
    let best = Number.POSITIVE_INFINITY;
    const improved = losses.filter(({ value }) => (value < best ? ((best = value), true) : false));
    expect(improved.length).toBeGreaterThanOrEqual(2); // else nothing was superseded and this proves nothing

    const { rows: artifacts } = await e2e.db.pool.query<{ path: string }>('SELECT path FROM artifact WHERE run_id = $1 ORDER BY path', [runId]);
    const { rows: tags } = await e2e.db.pool.query<{ value: string }>("SELECT value FROM tag WHERE run_id = $1 AND key = 'selected_model'", [runId]);
    expect(tags[0]?.value).toMatch(/best-epoch/);
    expect(artifacts.map((a) => a.path)).toEqual([tags[0]?.value, 'checkpoints/latest.ckpt'].sort());
    // No bytes left behind by the deleted ones.
    const { rows: orphans } = await e2e.db.pool.query('SELECT sha256 FROM artifact_blob b WHERE NOT EXISTS (SELECT 1 FROM artifact a WHERE a.sha256 = b.sha256)');
    expect(orphans).toEqual([]);
    expect(bestModelArtifact(Number(/best-epoch-(\d+)/.exec(tags[0]?.value ?? '')?.[1]))).toBe(tags[0]?.value);
  });
});
