// Chart downsampling in SQL, against real PostgreSQL: never more than maxPoints, each bucket's
// minimum and maximum kept (a one-step spike survives), the last point always there — for series
// bucketed from their points and for long ones bucketed from the writer's rollup.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindRepositories, type TrackingRepositories } from '../src/bound-repositories';
import { rollupLevelFor, type ChartSeries } from '../src/read/metric-series';
import { ROLLUP_FROM_METRIC } from '../src/store/metric-rollup';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { runInput } from './store-contract';

let db: TestDatabase;
let repos: TrackingRepositories;
let store: PostgresTrackingStore;
let runId: string;
let longRunId: string;
const T0 = Date.UTC(2026, 0, 1);
const LONG = 300_001;
const lossAt = (step: number) => (step === 12_345 ? 50 : step === 777 ? -5 : step === 15_000 ? Number.NaN : 1 / (1 + step / 1000));
const longLossAt = (step: number) => (step === 123_457 ? 99 : step === 250_001 ? -7 : 2 / (1 + step / 10_000) + ((step * 7919) % 13) / 1000);

/** The points as objects, for assertions. */
const pointsOf = (s: ChartSeries) => s.steps.map((step, i) => ({ step, value: s.values[i], timestamp: s.timestamps[i] }));

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresTrackingStore(db);
  repos = bindRepositories(db, store);
  const project = await repos.projects.ensure('series');
  runId = (await store.createRun(runInput(project.id))).run.id;
  // 20,001 steps of a smooth loss, one spike up at 12,345, one dip at 777, NaN at 15,000.
  const metrics = Array.from({ length: 20_001 }, (_, step) => ({ key: 'train/loss', step, value: lossAt(step), timestamp: T0 + step * 10 }));
  for (let i = 0; i < metrics.length; i += 10_000) await store.logBatch(runId, { metrics: metrics.slice(i, i + 10_000) });
  await store.logBatch(runId, { metrics: [0, 1, 2].map((step) => ({ key: 'short', step, value: step, timestamp: T0 })) });
  // A long series written out of order, in uneven batches, partly twice (a replayed batch, and one
  // re-sent with other values that must not win): the rollup must still hold exactly the stored points.
  longRunId = (await store.createRun({ ...runInput(project.id), name: 'long' })).run.id;
  const long = (from: number, to: number, bump = 0) =>
    Array.from({ length: to - from }, (_, i) => ({ key: 'loss', step: from + i, value: longLossAt(from + i) + bump, timestamp: T0 + (from + i) * 100 }));
  for (const [from, to] of [[200_000, LONG], [0, 77_777], [77_777, 200_000]] as const) {
    for (let i = from; i < to; i += 25_000) await store.logBatch(longRunId, { metrics: long(i, Math.min(to, i + 25_000)) });
  }
  await store.logBatch(longRunId, { metrics: long(123_000, 124_000) });
  await store.logBatch(longRunId, { metrics: long(250_000, 250_100, 1000) });
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe('metric series for charts', () => {
  it('keeps at most maxPoints, every bucket\'s extremes, the spike, the dip, the NaN and the last point', async () => {
    const series = await repos.metrics.series(runId, 'train/loss', { maxPoints: 1000 });
    expect(series.total).toBe(20_001);
    expect(series.steps.length).toBeLessThanOrEqual(1000);
    expect(series.steps.length).toBeGreaterThan(900);
    expect(series.values.length).toBe(series.steps.length);
    expect(series.timestamps.length).toBe(series.steps.length);
    expect(series.steps).toEqual([...series.steps].sort((a, b) => a - b));
    expect(series.steps).toContain(12_345);
    expect(series.steps).toContain(777);
    expect(series.steps).toContain(15_000);
    expect(series.values[series.steps.indexOf(15_000)]).toBeNaN();
    expect(series.values[series.steps.indexOf(12_345)]).toBe(50);
    expect(pointsOf(series).at(-1)).toEqual({ step: 20_000, value: 1 / 21, timestamp: T0 + 200_000 });
    expect(series.steps[0]).toBe(0); // the first bucket's maximum
    // Every point returned is a stored point, with its own value and time.
    for (const p of pointsOf(series)) {
      if (p.step !== 15_000) expect(p).toEqual({ step: p.step, value: lossAt(p.step), timestamp: T0 + p.step * 10 });
    }
  });

  it('returns short series whole, several series at once in the order asked, and refuses oversize requests', async () => {
    const [short, missing, loss] = await repos.metrics.chart(runId, ['short', 'nope', 'train/loss'], { maxPoints: 3 });
    expect(short?.values).toEqual([0, 1, 2]);
    expect(short?.steps).toEqual([0, 1, 2]);
    expect(short?.timestamps).toEqual([T0, T0, T0]);
    expect(missing).toEqual({ key: 'nope', total: 0, steps: [], values: [], timestamps: [] });
    expect(loss?.steps.length).toBeLessThanOrEqual(3);
    expect(loss?.steps.at(-1)).toBe(20_000);
    await expect(repos.metrics.series(runId, 'train/loss', { maxPoints: 1001 })).rejects.toThrow(/maxPoints: 1001 must be an integer from 3 to 1000/);
    expect((await repos.metrics.list(runId)).map((s) => [s.key, s.points])).toEqual([['short', 3], ['train/loss', 20_001]]);
  });

  it('keeps the rollup equal to the stored points, however the batches came (out of order, replayed, re-sent with other values)', async () => {
    const rollup = await db.pool.query('SELECT key, level, bucket, points, min_step, min_value, min_ms, max_step, max_value, max_ms FROM metric_rollup WHERE run_id = $1 ORDER BY key COLLATE "C", level, bucket', [longRunId]);
    const recomputed = await db.pool.query(ROLLUP_FROM_METRIC, [longRunId]);
    expect(rollup.rows.length).toBeGreaterThan(LONG / 16);
    expect(rollup.rows).toEqual(recomputed.rows);
    const { rows } = await db.pool.query<{ value: number }>('SELECT value FROM metric WHERE run_id = $1 AND key = $2 AND step = 250001', [longRunId, 'loss']);
    expect(rows[0]?.value).toBe(-7); // the first value written stays
  });

  it('charts a long series from the rollup with the same guarantees: ≤ maxPoints, extremes, spike, dip, last point', async () => {
    expect(rollupLevelFor(LONG, 499)).toBe(8);
    const series = await repos.metrics.series(longRunId, 'loss', { maxPoints: 1000 });
    expect(series.total).toBe(LONG);
    expect((await repos.metrics.list(longRunId)).map((s) => [s.key, s.points, s.lastStep])).toEqual([['loss', LONG, LONG - 1]]);
    expect(series.steps.length).toBeLessThanOrEqual(1000);
    expect(series.steps.length).toBeGreaterThan(900);
    expect(series.steps).toEqual([...new Set(series.steps)].sort((a, b) => a - b));
    expect(series.values[series.steps.indexOf(123_457)]).toBe(99);
    expect(series.values[series.steps.indexOf(250_001)]).toBe(-7);
    expect(series.steps[0]).toBeLessThan(LONG / 499); // from the first display bucket
    expect(pointsOf(series).at(-1)).toEqual({ step: LONG - 1, value: longLossAt(LONG - 1), timestamp: T0 + (LONG - 1) * 100 });
    for (const p of pointsOf(series)) expect(p).toEqual({ step: p.step, value: longLossAt(p.step), timestamp: T0 + p.step * 100 });
    // The extremes of the whole series are among the extremes of its buckets.
    const { rows } = await db.pool.query<{ lo: number; hi: number }>('SELECT min(value) AS lo, max(value) AS hi FROM metric WHERE run_id = $1', [longRunId]);
    expect(Math.min(...series.values)).toBe(rows[0]?.lo);
    expect(Math.max(...series.values)).toBe(rows[0]?.hi);
    const few = await repos.metrics.series(longRunId, 'loss', { maxPoints: 3 });
    expect(few.steps).toEqual([250_001, 123_457, LONG - 1].sort((a, b) => a - b));
  });
});
