// Journals left by processes that ended while the database was unreachable are replayed by any
// process that opens the database (in the background) — only into the database they were written for.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../src/client/journal';
import { listJournals, replayOrphanJournals } from '../src/client/journal-recovery';
import { journalDirFor, openTrackingDatabase } from '../src/database';
import { ensureProject } from '../src/repositories/projects';
import { createRun } from '../src/repositories/runs';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { runInput } from './store-contract';

let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ovus-recovery-'));
  process.env.OVUS_DATA_DIR = dataDir; // before anything reads the environment
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** An owner id of this host whose process has ended: its journal is an orphan. */
function deadOwner(): string {
  const pid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
  return `${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}~${pid}~0123abcd`;
}

describe('openTrackingDatabase', () => {
  it("replays this database's orphaned journals in the background, and nobody else's", async () => {
    const projectId = (await ensureProject(db.prisma, 'recovery')).id;
    const { run } = await createRun(db.prisma, runInput(projectId));
    const mine = journalDirFor(dataDir, db.url, false);
    const other = journalDirFor(dataDir, 'postgres://u@elsewhere:5432/other', false);
    expect(other).not.toBe(mine);
    const metrics = Array.from({ length: 50 }, (_, step) => ({ key: 'loss', step, value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step }));
    for (const dir of [mine, other]) {
      const journal = new Journal(dir, deadOwner());
      await journal.append([{ runId: run.id, batch: { params: [], tags: [{ key: 'from', value: 'journal' }], metrics, predictions: [] } }], [
        { kind: 'status', runId: run.id, status: 'finished', at: 1_700_000_100_000, error: null },
      ]);
      journal.release();
    }

    const opened = await openTrackingDatabase({ databaseUrl: db.url, onWarning: () => undefined });
    try {
      const report = await opened.recovery;
      expect(report).toMatchObject({ entries: 2, remaining: [] });
      expect(report.replayed).toHaveLength(1);
      const store = new PostgresTrackingStore(db);
      expect(await store.getRun(run.id)).toMatchObject({ status: 'finished' });
      expect(await store.getTags(run.id)).toEqual({ from: 'journal' });
      expect((await store.getMetricHistory(run.id, 'loss')).length).toBe(50);
      expect((await readdir(mine)).filter((f) => f.includes('.jsonl'))).toEqual([]);
      // The other database's journal stays where it is, for a process that opens that database.
      expect((await readdir(other)).filter((f) => f.includes('.jsonl'))).toHaveLength(1);
    } finally {
      await opened.close();
    }
  });

  it('shows a run whose ending is only in a journal as such (not running) until the replay writes it', async () => {
    const projectId = (await ensureProject(db.prisma, 'recovery')).id;
    const { run } = await createRun(db.prisma, runInput(projectId));
    const store = new PostgresTrackingStore(db);
    await store.setRunStatus(run.id, 'running');
    const dir = join(dataDir, 'journal-endings');
    const journal = new Journal(dir, deadOwner());
    await journal.append([], [{ kind: 'status', runId: run.id, status: 'finished', at: Date.now(), error: null }]);
    journal.release();

    // A replay cut short before its first line (the process stopping, the database going again).
    const cut = await replayOrphanJournals({ store, journalDir: dir, onWarning: () => undefined, shouldStop: () => true });
    expect(cut.remaining).toHaveLength(1);
    const shown = await store.getRun(run.id);
    expect(shown?.status).toBe('stale');
    expect(shown?.errorText).toMatch(/^Ended finished at .+ while the database was unreachable; that ending is in the journal .+, being replayed/);
    expect((await listJournals(dir))[0]?.endings).toMatchObject([{ runId: run.id, status: 'finished' }]);

    const done = await replayOrphanJournals({ store, journalDir: dir, onWarning: () => undefined });
    expect(done.replayed).toHaveLength(1);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'finished', errorText: null });
    expect(await readdir(dir)).toEqual(expect.not.arrayContaining([expect.stringContaining('.endings')]));
  });
});
