// Chart downsampling in SQL, against real PostgreSQL: never more than maxPoints, each bucket's
// minimum and maximum kept (a one-step spike survives), the last point always there.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindRepositories, type TrackingRepositories } from '../src/bound-repositories';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { runInput } from './store-contract';

let db: TestDatabase;
let repos: TrackingRepositories;
let store: PostgresTrackingStore;
let runId: string;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresTrackingStore(db);
  repos = bindRepositories(db, store);
  const project = await repos.projects.ensure('series');
  runId = (await store.createRun(runInput(project.id))).run.id;
  // 20,001 steps of a smooth loss, one spike up at 12,345, one dip at 777, NaN at 15,000.
  const metrics = Array.from({ length: 20_001 }, (_, step) => ({
    key: 'train/loss',
    step,
    value: step === 12_345 ? 50 : step === 777 ? -5 : step === 15_000 ? Number.NaN : 1 / (1 + step / 1000),
    timestamp: T0 + step * 10,
  }));
  for (let i = 0; i < metrics.length; i += 10_000) await store.logBatch(runId, { metrics: metrics.slice(i, i + 10_000) });
  await store.logBatch(runId, { metrics: [0, 1, 2].map((step) => ({ key: 'short', step, value: step, timestamp: T0 })) });
});
afterAll(async () => {
  await db.drop();
});

describe('metric series for charts', () => {
  it('keeps at most maxPoints, every bucket\'s extremes, the spike, the dip, the NaN and the last point', async () => {
    const series = await repos.metrics.series(runId, 'train/loss', { maxPoints: 1000 });
    expect(series.total).toBe(20_001);
    expect(series.points.length).toBeLessThanOrEqual(1000);
    expect(series.points.length).toBeGreaterThan(900);
    const steps = series.points.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps).toContain(12_345);
    expect(steps).toContain(777);
    expect(steps).toContain(15_000);
    expect(series.points.find((p) => p.step === 15_000)?.value).toBeNaN();
    expect(series.points.at(-1)).toEqual({ step: 20_000, value: 1 / 21, timestamp: T0 + 200_000 });
    expect(series.points[0]?.step).toBe(0); // the first bucket's maximum
  });

  it('returns short series whole, several series at once in the order asked, and refuses oversize requests', async () => {
    const [short, missing, loss] = await repos.metrics.chart(runId, ['short', 'nope', 'train/loss'], { maxPoints: 3 });
    expect(short?.points.map((p) => p.value)).toEqual([0, 1, 2]);
    expect(missing).toEqual({ key: 'nope', total: 0, points: [] });
    expect(loss?.points.length).toBeLessThanOrEqual(3);
    expect(loss?.points.at(-1)?.step).toBe(20_000);
    await expect(repos.metrics.series(runId, 'train/loss', { maxPoints: 1001 })).rejects.toThrow(/maxPoints: 1001 must be an integer from 3 to 1000/);
    expect((await repos.metrics.list(runId)).map((s) => [s.key, s.points])).toEqual([['short', 3], ['train/loss', 20_001]]);
  });
});
