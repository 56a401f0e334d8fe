// Blob garbage collection against real PostgreSQL: checkpoints replaced every epoch keep one blob,
// deleted runs leave nothing behind, and concurrent writers never lose bytes a row refers to.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@ovus/db';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackingClient } from '../src/client/tracking-client';
import { UnknownRunError } from '../src/errors';
import { deleteRun, pruneOrphanBlobs } from '../src/repositories/artifact-blobs';
import { ensureProject } from '../src/repositories/projects';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { runInput } from './store-contract';

const bytesOf = (text: string) => {
  const data = Buffer.from(text);
  return { data, sha256: createHash('sha256').update(data).digest('hex') };
};

describe('artifact blobs', () => {
  let db: TestDatabase;
  let store: PostgresTrackingStore;
  let projectId: string;
  let journalDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresTrackingStore(db);
    projectId = (await ensureProject(db.prisma, 'blobs')).id;
    journalDir = await mkdtemp(join(tmpdir(), 'ovus-blobs-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(journalDir, { recursive: true, force: true });
  });

  const blobCount = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM artifact_blob')).rows[0].n;
  const danglingRows = async () =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM artifact a WHERE NOT EXISTS (SELECT 1 FROM artifact_blob b WHERE b.sha256 = a.sha256)')).rows[0].n;

  it('a run that checkpoints 5 epochs to the same path through the client keeps exactly 1 blob', async () => {
    const client = new TrackingClient({ store, journalDir, heartbeatIntervalMs: 0 });
    const run = await client.startRun(runInput(projectId));
    for (let epoch = 1; epoch <= 5; epoch += 1) {
      run.logArtifactBytes('checkpoints/latest.ckpt', Buffer.alloc(50_000, epoch), { kind: 'checkpoint', step: epoch });
      await client.flush();
    }
    await run.end('finished');
    await client.close();
    expect(await blobCount()).toBe(1);
    expect((await store.fetchArtifact(run.id, 'checkpoints/latest.ckpt'))?.data.equals(Buffer.alloc(50_000, 5))).toBe(true);
    await deleteRun(db.pool, run.id);
    expect(await blobCount()).toBe(0);
  });

  it('deleteRun removes the run and the bytes only it referred to; pruneOrphanBlobs collects what cascades left', async () => {
    const [a, b] = [(await store.createRun(runInput(projectId))).run.id, (await store.createRun(runInput(projectId))).run.id];
    const shared = bytesOf('weights logged by both runs');
    const onlyA = bytesOf('bytes only run a logged');
    await store.saveArtifact(a, { path: 'shared', kind: 'model', step: null, ...shared });
    await store.saveArtifact(a, { path: 'mine', kind: 'model', step: null, ...onlyA });
    await store.saveArtifact(b, { path: 'shared', kind: 'model', step: null, ...shared });

    expect(await deleteRun(db.pool, a)).toEqual({ blobs: 1, bytes: onlyA.data.length });
    expect(await store.getRun(a)).toBeNull();
    expect((await store.fetchArtifact(b, 'shared'))?.data.equals(shared.data)).toBe(true);
    await expect(deleteRun(db.pool, a)).rejects.toBeInstanceOf(UnknownRunError);

    // Deleting a whole project (cascade to its runs and their artifacts) from elsewhere, e.g. SQL.
    const other = (await ensureProject(db.prisma, 'doomed')).id;
    const c = (await store.createRun(runInput(other))).run.id;
    const onlyC = bytesOf('bytes of a run in a deleted project');
    await store.saveArtifact(c, { path: 'x', kind: 'model', step: null, ...onlyC });
    await store.saveArtifact(c, { path: 'y', kind: 'model', step: null, ...shared });
    await db.pool.query('DELETE FROM project WHERE id = $1', [other]);
    expect(await pruneOrphanBlobs(db.pool)).toEqual({ blobs: 1, bytes: onlyC.data.length });
    expect(await pruneOrphanBlobs(db.pool)).toEqual({ blobs: 0, bytes: 0 });
    expect((await store.fetchArtifact(b, 'shared'))?.data.equals(shared.data)).toBe(true);
    await deleteRun(db.pool, b);
    expect(await blobCount()).toBe(0);
  });

  it('two writers sharing a blob, and a pruner, never leave a row without its bytes', async () => {
    // Writer a flips its artifact between the shared bytes and its own, so each flip away from the
    // shared bytes checks whether anyone else still refers to them — while writer b, on its own
    // connections (as another process would), keeps pointing its artifact at those same bytes.
    const second = connect(db.url);
    const storeB = new PostgresTrackingStore(second);
    try {
      const a = (await store.createRun(runInput(projectId))).run.id;
      const b = (await store.createRun(runInput(projectId))).run.id;
      const shared = bytesOf('the shared checkpoint');
      const rounds = 150;
      const writerA = async () => {
        for (let i = 0; i < rounds; i += 1) {
          await store.saveArtifact(a, { path: 'p', kind: 'checkpoint', step: i, ...(i % 2 === 0 ? shared : bytesOf(`a ${i}`)) });
        }
      };
      const missing: number[] = [];
      const writerB = async () => {
        for (let i = 0; i < rounds; i += 1) {
          await storeB.saveArtifact(b, { path: 'q', kind: 'checkpoint', step: i, ...(i % 2 === 0 ? bytesOf(`b ${i}`) : shared) });
          if ((await storeB.fetchArtifact(b, 'q')) === null) missing.push(i);
        }
      };
      let pruning = true;
      const pruner = async () => {
        while (pruning) await pruneOrphanBlobs(second.pool);
      };
      const prunerDone = pruner();
      await Promise.all([writerA(), writerB()]);
      pruning = false;
      await prunerDone;
      expect(missing).toEqual([]);
      expect(await danglingRows()).toBe(0);
      // Only the two current artifacts' bytes are left.
      const current = await db.pool.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM artifact WHERE run_id = ANY($1::uuid[])', [[a, b]]);
      expect(await blobCount()).toBe(current.rowCount);
      await deleteRun(db.pool, a);
      await deleteRun(db.pool, b);
    } finally {
      await second.close();
    }
  });
});
