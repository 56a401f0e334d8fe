// What every worker does in the background, against real PostgreSQL: runs whose process went silent
// are marked stale and the worker says so; bytes that no artifact refers to any more are deleted.
import { createHash } from 'node:crypto';
// Tests make their own database with @ovus/db's test support; the app's sources never import @ovus/db.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { bindRepositories, createRun, ensureProject, PostgresTrackingStore, setRunStatus } from '@ovus/tracking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRunMaintenance } from '../src/worker/run-maintenance';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const status = async (runId: string) => (await db.pool.query<{ status: string; error_text: string | null }>('SELECT status, error_text FROM run WHERE id = $1', [runId])).rows[0];

describe('worker maintenance', () => {
  it('marks runs silent for 3 heartbeats stale and says which, leaves live ones, and deletes unreferenced bytes', async () => {
    const project = await ensureProject(db.prisma, 'maintenance');
    const newRun = async (name: string) =>
      (await createRun(db.prisma, { projectId: project.id, name, backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 0, config: {} })).run.id;
    const silent = await newRun('silent');
    const live = await newRun('live');
    await setRunStatus(db.pool, silent, 'running', { at: Date.now() - 10 * 60_000 }); // last heard of 10 minutes ago
    await setRunStatus(db.pool, live, 'running');

    // A run of a project deleted elsewhere leaves its bytes behind (artifact rows go by cascade).
    const doomedProject = await ensureProject(db.prisma, 'doomed');
    const doomed = (await createRun(db.prisma, { projectId: doomedProject.id, name: 'd', backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 0, config: {} })).run.id;
    const data = Buffer.alloc(2_000_000, 7);
    await new PostgresTrackingStore(db).saveArtifact(doomed, { path: 'checkpoints/latest.ckpt', kind: 'checkpoint', step: 1, data, sha256: createHash('sha256').update(data).digest('hex') });
    await db.pool.query('DELETE FROM project WHERE id = $1', [doomedProject.id]);

    const lines: string[] = [];
    const maintenance = startRunMaintenance({ database: bindRepositories(db), heartbeatIntervalMs: 30_000, intervalMs: 60_000, log: (line) => lines.push(line) });
    await maintenance.runOnce(); // the pass started with it
    await maintenance.stop();

    expect(lines).toEqual([
      `marked 1 run(s) stale — no heartbeat for 1m30s, their process probably died: ${silent} (a queued run is retried when its lease runs out)`,
      'deleted 1 stored artifact file(s) (2.0 MB) that no run refers to any more',
    ]);
    expect(await status(silent)).toMatchObject({ status: 'stale', error_text: expect.stringMatching(/^No heartbeat since .* \(threshold 90 s\)/) });
    expect((await status(live)).status).toBe('running');
    expect((await db.pool.query('SELECT 1 FROM artifact_blob')).rowCount).toBe(0);
  });
});
