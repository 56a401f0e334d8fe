// Two writers on one run, a process that dies without ending its run, and replaying a journal twice.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from '@ovus/db';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal, newOwnerId } from '../src/client/journal';
import { TrackingClient } from '../src/client/tracking-client';
import { ensureProject } from '../src/repositories/projects';
import { markStaleRuns } from '../src/repositories/run-status';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { runInput } from './store-contract';

describe('tracking against PostgreSQL with several writers', () => {
  let db: TestDatabase;
  let dir: string;
  let projectId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'ovus-concurrency-'));
    projectId = (await ensureProject(db.prisma, 'concurrency')).id;
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('two writers on one run, overlapping and not, store every point once', async () => {
    const second = connect(db.url); // its own pool, like another process
    const a = new TrackingClient({ store: new PostgresTrackingStore(db), journalDir: join(dir, 'a'), maxBatchPoints: 500, heartbeatIntervalMs: 0 });
    const b = new TrackingClient({ store: new PostgresTrackingStore(second), journalDir: join(dir, 'b'), maxBatchPoints: 700, heartbeatIntervalMs: 0 });
    const runA = await a.startRun(runInput(projectId));
    const runB = await b.attachRun(runA.id);
    const steps = 5000;
    for (let step = 0; step < steps; step += 1) {
      runA.logMetric('shared', step, step); // both write the same points
      runB.logMetric('shared', step, step);
      runA.logMetric('a/only', step, step);
      runB.logMetric('b/only', step, steps - step); // steps arrive high to low: latest must follow the step
    }
    await Promise.all([a.close(), b.close()]);
    await second.close();

    const { rows } = await db.pool.query<{ key: string; n: number; distinct_steps: number }>(
      'SELECT key, count(*)::int AS n, count(DISTINCT step)::int AS distinct_steps FROM metric WHERE run_id = $1 GROUP BY key ORDER BY key',
      [runA.id],
    );
    expect(rows).toEqual([
      { key: 'a/only', n: steps, distinct_steps: steps },
      { key: 'b/only', n: steps, distinct_steps: steps },
      { key: 'shared', n: steps, distinct_steps: steps },
    ]);
    const latest = await new PostgresTrackingStore(db).getLatestMetrics(runA.id);
    expect(latest.map((p) => [p.key, p.step, p.value])).toEqual([
      ['a/only', steps - 1, steps - 1],
      ['b/only', steps, 0],
      ['shared', steps - 1, steps - 1],
    ]);
  });

  it('replaying the same journal twice stores its points once', async () => {
    const store = new PostgresTrackingStore(db);
    const setup = new TrackingClient({ store, journalDir: join(dir, 'setup'), heartbeatIntervalMs: 0 });
    const run = await setup.startRun(runInput(projectId));
    await setup.close();

    const journal = new Journal(join(dir, 'twice'), newOwnerId());
    const metrics = Array.from({ length: 300 }, (_, step) => ({ key: 'loss', step, value: step === 7 ? Number.NaN : step, timestamp: Date.now() }));
    const predictions = [
      { split: 'test' as const, task: 'malignancy', caseId: 'c1', label: 1, predicted: 0, probabilities: [0.6, 0.4] },
      { split: 'test' as const, task: 'malignancy', caseId: 'c2', label: null, predicted: 1, probabilities: [Number.NaN, 0.9] },
    ];
    await journal.append([{ runId: run.id, batch: { params: [{ key: 'p', value: '1' }], tags: [], metrics, predictions } }], [
      { kind: 'status', runId: run.id, status: 'finished', at: Date.now(), error: null },
    ]);
    const copy = `${journal.file}.copy`;
    await copyFile(journal.file, copy);
    const apply = async (entry: Parameters<Parameters<Journal['replay']>[0]>[0]) => {
      if (entry.type === 'batch') await store.logBatch(entry.value.runId, entry.value.batch);
      else if (entry.value.kind === 'status') await store.setRunStatus(entry.value.runId, entry.value.status, { at: entry.value.at });
    };
    await journal.replay(apply, (e) => {
      throw e;
    });
    await journal.replayClaimed(copy, apply, (e) => {
      throw e;
    });
    journal.release();

    const history = await store.getMetricHistory(run.id, 'loss');
    expect(history).toHaveLength(300);
    expect(history[7]?.value).toBeNaN();
    expect(await store.getParams(run.id)).toEqual({ p: '1' });
    expect(await store.getPredictions(run.id)).toEqual(predictions);
    expect((await store.getRun(run.id))?.status).toBe('finished');
    expect(await readdir(join(dir, 'twice'))).toEqual([]);
  });

  it('marks the run of a process that died as stale, and leaves live runs running', async () => {
    const live = new TrackingClient({ store: new PostgresTrackingStore(db), journalDir: join(dir, 'live'), heartbeatIntervalMs: 100 });
    const liveRun = await live.startRun(runInput(projectId));

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/tracking-child.ts'), 'heartbeat'], {
      env: { ...process.env, TRACKING_TEST_URL: db.url, TRACKING_TEST_JOURNAL: join(dir, 'child') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const doomedId = (await lines.next()).value as string;
    await new Promise((r) => setTimeout(r, 300)); // a few heartbeats
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await new Promise((r) => setTimeout(r, 1200));

    const marked = await markStaleRuns(db.pool, 1000);
    expect(marked).toContain(doomedId);
    expect(marked).not.toContain(liveRun.id);
    const doomed = await db.prisma.run.findUniqueOrThrow({ where: { id: doomedId } });
    expect(doomed.status).toBe('stale');
    expect(doomed.errorText).toMatch(/process probably died/);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: liveRun.id } })).status).toBe('running');
    await liveRun.end('finished');
    await live.close();
  });
});
