// A sweep's stored status follows its runs through the store's writes (the ones the trainer, the
// workers and journal replay make): pending → running when a run starts → finished or failed when
// every run has ended; a rerun makes it running again; stale runs fail it and a revived one makes
// it running; cancelled stays; replays change nothing; runs ending at once leave the right status.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindRepositories, PostgresTrackingStore, type TrackingRepositories } from '../src';
import { runInput } from './store-contract';

let db: TestDatabase;
let store: PostgresTrackingStore;
let repos: TrackingRepositories;
let projectId: string;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresTrackingStore(db);
  repos = bindRepositories(db, store);
  projectId = (await repos.projects.ensure('sweep-status')).id;
});
afterAll(async () => {
  await db.drop();
});

async function sweepWithRuns(name: string, count: number): Promise<{ sweepId: string; runIds: string[] }> {
  const { sweep } = await repos.sweeps.create(projectId, name, { name });
  const runIds: string[] = [];
  for (let i = 0; i < count; i += 1) runIds.push((await store.createRun({ ...runInput(projectId), sweepId: sweep.id, seed: i })).run.id);
  return { sweepId: sweep.id, runIds };
}

async function stored(sweepId: string) {
  const sweep = await repos.sweeps.get(sweepId);
  return { status: sweep?.status, finishedAt: sweep?.finishedAt?.getTime() ?? null };
}

describe('the stored sweep status', () => {
  it('is pending until a run starts, running while any is left, finished when all have ended, and replays change nothing', async () => {
    const { sweepId, runIds } = await sweepWithRuns('lifecycle', 3);
    const [a, b, c] = runIds as [string, string, string];
    expect(await stored(sweepId)).toEqual({ status: 'pending', finishedAt: null });
    await store.setRunStatus(a, 'running', { at: T0 });
    expect(await stored(sweepId)).toEqual({ status: 'running', finishedAt: null });
    await store.setRunStatus(a, 'finished', { at: T0 + 1000 });
    // One run done, two waiting in the queue: the sweep is still under way.
    expect(await stored(sweepId)).toEqual({ status: 'running', finishedAt: null });
    await store.setRunStatus(b, 'running', { at: T0 + 1000 });
    await store.setRunStatus(c, 'running', { at: T0 + 1000 });
    await store.setRunStatus(c, 'finished', { at: T0 + 5000 });
    expect((await stored(sweepId)).status).toBe('running');
    await store.setRunStatus(b, 'finished', { at: T0 + 3000 });
    // finished_at is the last run's end, not the time of the write.
    expect(await stored(sweepId)).toEqual({ status: 'finished', finishedAt: T0 + 5000 });
    // A journal replaying the same writes (out of order, twice) leaves it as it is.
    await store.setRunStatus(c, 'finished', { at: T0 + 5000 });
    await store.setRunStatus(b, 'finished', { at: T0 + 3000 });
    expect(await stored(sweepId)).toEqual({ status: 'finished', finishedAt: T0 + 5000 });
    // A rerun queued into the ended sweep makes it running again; its failure fails the sweep.
    const rerun = (await store.createRun({ ...runInput(projectId), sweepId, seed: 1 })).run.id;
    expect(await stored(sweepId)).toEqual({ status: 'running', finishedAt: null });
    await store.setRunStatus(rerun, 'running', { at: T0 + 6000 });
    await store.setRunStatus(rerun, 'failed', { at: T0 + 7000, error: 'out of memory' });
    expect(await stored(sweepId)).toEqual({ status: 'failed', finishedAt: T0 + 7000 });
  });

  it('fails a sweep whose last run went stale, and makes it running again when the run is heard from', async () => {
    const { sweepId, runIds } = await sweepWithRuns('stale', 2);
    const [a, b] = runIds as [string, string];
    await store.setRunStatus(a, 'running', { at: T0 });
    await store.setRunStatus(a, 'finished', { at: T0 + 1000 });
    await store.setRunStatus(b, 'running', { at: T0 });
    await store.heartbeat(b, T0 + 500);
    expect(await repos.runs.markStale(60_000, T0 + 120_000, { except: [a] })).toContain(b);
    expect(await stored(sweepId)).toEqual({ status: 'failed', finishedAt: T0 + 120_000 });
    await store.heartbeat(b, T0 + 130_000);
    expect(await stored(sweepId)).toEqual({ status: 'running', finishedAt: null });
    await store.markEndingInJournal(b, 'the process ended with points in its journal', T0 + 140_000);
    expect((await stored(sweepId)).status).toBe('failed');
  });

  it('leaves a cancelled sweep cancelled', async () => {
    const { sweepId, runIds } = await sweepWithRuns('cancelled', 1);
    await repos.sweeps.setStatus(sweepId, 'cancelled');
    await store.setRunStatus(runIds[0] as string, 'running', { at: T0 });
    await store.setRunStatus(runIds[0] as string, 'finished', { at: T0 + 1 });
    expect((await stored(sweepId)).status).toBe('cancelled');
  });

  it('is finished when many runs end at the same moment', async () => {
    const { sweepId, runIds } = await sweepWithRuns('together', 12);
    await Promise.all(runIds.map((id) => store.setRunStatus(id, 'running', { at: T0 })));
    expect((await stored(sweepId)).status).toBe('running');
    await Promise.all(runIds.map((id, i) => store.setRunStatus(id, 'finished', { at: T0 + 1000 + i })));
    expect(await stored(sweepId)).toEqual({ status: 'finished', finishedAt: T0 + 1011 });
  });
});
