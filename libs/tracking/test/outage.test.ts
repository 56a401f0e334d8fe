// The database stops in the middle of a run and comes back: nothing logged is lost or doubled.
// A real embedded PostgreSQL on a free port, stopped and started by the test while the client logs.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { applyMigrations, connect, ensureEmbeddedPostgres, freePort, withDatabase, type DbConnection, type EmbeddedDatabase } from '@ovus/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayOrphanJournals } from '../src/client/journal-recovery';
import { TrackingClient } from '../src/client/tracking-client';
import { ensureProject } from '../src/repositories/projects';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { runInput } from './store-contract';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('database outage', () => {
  let dir: string;
  let port: number;
  let server: EmbeddedDatabase;
  let url: string;
  let db: DbConnection;
  let projectId: string;

  const startServer = async () => {
    server = await ensureEmbeddedPostgres({ dataDir: join(dir, 'data'), preferredPort: port });
    expect(server.port).toBe(port); // same address, so the client's pool reconnects by itself
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ovus-outage-'));
    await chmod(dir, 0o755); // a root-run server must be able to enter it
    port = await freePort();
    await startServer();
    const admin = connect(server.serverUrl);
    await admin.pool.query('CREATE DATABASE tracking');
    await admin.close();
    url = withDatabase(server.serverUrl, 'tracking');
    await applyMigrations(url);
    db = connect(url);
    projectId = (await ensureProject(db.prisma, 'outage')).id;
  });

  afterAll(async () => {
    await db?.close();
    await server?.stop();
    if (server?.clusterDir.startsWith('/var/lib/ovus/')) await rm(join(server.clusterDir, '..'), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  async function metricRows(runId: string, key: string) {
    const { rows } = await db.pool.query<{ step: number; value: number }>(
      'SELECT step, value FROM metric WHERE run_id = $1 AND key = $2 ORDER BY step',
      [runId, key],
    );
    return rows;
  }

  it('spills while the database is down and replays when it is back: no point lost, none doubled', async () => {
    const warnings: string[] = [];
    const errors: Error[] = [];
    const store = new PostgresTrackingStore(db);
    const journalDir = join(dir, 'journal');
    const client = new TrackingClient({
      store,
      journalDir,
      flushIntervalMs: 10,
      retryAttempts: 2,
      retryBaseMs: 20,
      maxProbeIntervalMs: 200,
      heartbeatIntervalMs: 0,
      onWarning: (m) => warnings.push(m),
      onError: (e) => errors.push(e),
    });
    const run = await client.startRun({ ...runInput(projectId), params: { lr: 0.01 } });

    const steps = 1200;
    for (let step = 0; step < steps; step += 1) {
      run.logMetrics({ loss: 1 / (step + 1), acc: step / steps }, step);
      if (step % 50 === 49) await sleep(5); // a training loop yields now and then
      if (step === 400) await server.stop();
      // A best model superseded while the database is away: journaled in order, deleted on replay.
      if (step === 500) run.logArtifactBytes('checkpoints/best-epoch-0001.ckpt', Buffer.from('best of epoch 1'), { kind: 'model' });
      if (step === 600) {
        run.logArtifactBytes('checkpoints/best-epoch-0002.ckpt', Buffer.from('best of epoch 2'), { kind: 'model' });
        run.deleteArtifacts(['checkpoints/best-epoch-0001.ckpt']);
      }
      if (step === 800) {
        await client.flush(); // everything so far is in the journal now
        expect(client.stats()).toMatchObject({ offline: true });
        expect(client.stats().spilled).toBeGreaterThan(0);
        expect((await readdir(journalDir)).some((f) => f.endsWith('.jsonl'))).toBe(true);
        await startServer();
      }
    }
    run.setTag('phase', 'done');
    await run.end('finished');
    await client.close();

    const loss = await metricRows(run.id, 'loss');
    expect(loss.map((r) => r.step)).toEqual(Array.from({ length: steps }, (_, i) => i));
    expect(loss.map((r) => r.value)).toEqual(Array.from({ length: steps }, (_, i) => 1 / (i + 1)));
    expect(await metricRows(run.id, 'acc')).toHaveLength(steps);
    expect(await store.getLatestMetrics(run.id)).toMatchObject([
      { key: 'acc', step: steps - 1 },
      { key: 'loss', step: steps - 1 },
    ]);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'finished' });
    expect(await store.getTags(run.id)).toEqual({ phase: 'done' });
    expect((await store.listArtifacts(run.id)).map((a) => a.path)).toEqual(['checkpoints/best-epoch-0002.ckpt']);
    expect(warnings.some((w) => w.includes('unreachable'))).toBe(true);
    expect(warnings.some((w) => w.includes('is back'))).toBe(true);
    expect(errors).toEqual([]);
    expect((await readdir(journalDir)).filter((f) => f.includes('.jsonl'))).toEqual([]);
  });

  it('replays the journal of a process that died while the database was down', async () => {
    const store = new PostgresTrackingStore(db);
    const journalDir = join(dir, 'journal-child');
    const setup = new TrackingClient({ store, journalDir, heartbeatIntervalMs: 0 });
    const run = await setup.startRun(runInput(projectId));
    await setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/tracking-child.ts'), 'spill', run.id], {
      env: { ...process.env, TRACKING_TEST_URL: url, TRACKING_TEST_JOURNAL: journalDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    await server.stop();
    child.stdin.write('go\n');
    expect((await lines.next()).value).toBe('spilled');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await readdir(journalDir)).some((f) => f.endsWith('.jsonl'))).toBe(true);

    await startServer();
    const report = await replayOrphanJournals({ store, journalDir, onWarning: () => undefined });
    expect(report.replayed).toHaveLength(1);
    expect(report.remaining).toEqual([]);
    const rows = await metricRows(run.id, 'child/loss');
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect((await readdir(journalDir)).filter((f) => f.includes('.jsonl'))).toEqual([]);
  });

  it('a process whose database is gone when its run ends exits by itself, its ending and one checkpoint in the journal', async () => {
    const store = new PostgresTrackingStore(db);
    const journalDir = join(dir, 'journal-end');
    const setup = new TrackingClient({ store, journalDir, heartbeatIntervalMs: 0 });
    const run = await setup.startRun(runInput(projectId));
    await setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/tracking-child.ts'), 'end-offline', run.id], {
      env: { ...process.env, TRACKING_TEST_URL: url, TRACKING_TEST_JOURNAL: journalDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    await server.stop();
    child.stdin.end('go\n');
    const closed = JSON.parse((await lines.next()).value as string) as { journalLines: number; endingsInJournal: string[] };
    expect(await exited).toBe(0); // not 13: the flusher kept the process alive until all was in the journal
    expect(closed.journalLines).toBeGreaterThan(0);
    expect(closed.endingsInJournal).toEqual([run.id]);
    // Five checkpoints to one path while offline: one copy of the bytes in the journal.
    expect((await readdir(join(journalDir, 'blobs'))).filter((f) => !f.endsWith('.tmp'))).toHaveLength(1);

    await startServer();
    const report = await replayOrphanJournals({ store, journalDir, onWarning: () => undefined });
    expect(report.replayed).toHaveLength(1);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'finished' });
    const rows = await metricRows(run.id, 'child/loss');
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const checkpoint = await store.fetchArtifact(run.id, 'checkpoints/latest.ckpt');
    expect(checkpoint?.data.toString()).toBe('checkpoint after step 299');
    expect(await readdir(join(journalDir, 'blobs'))).toEqual([]);
  });
});
