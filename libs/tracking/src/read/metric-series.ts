// Chart series, downsampled in SQL. A series longer than `maxPoints` is cut into
// floor((maxPoints - 1) / 2) buckets of consecutive steps; each bucket keeps its minimum and its
// maximum point (one point when they coincide), and the series' last point is always kept — so a
// loss spike survives however long the run, and the curve ends where the run is. Never more than
// maxPoints points. NaN sorts above every number in PostgreSQL, so a NaN is a bucket's maximum:
// a diverged step stays visible.
import type pg from 'pg';
import { TrackingInputError } from '../errors';
import { checkRunId } from '../validation';

export const MAX_CHART_POINTS = 1000;
export const MAX_SERIES_PER_REQUEST = 50;

export interface SeriesPoint {
  step: number;
  value: number;
  /** Epoch ms: the x-axis in time. */
  timestamp: number;
}

export interface ChartSeries {
  key: string;
  /** Points stored for this series (before downsampling). */
  total: number;
  points: SeriesPoint[];
}

export interface SeriesInfo {
  key: string;
  points: number;
  lastStep: number;
  lastValue: number;
}

/** Every series of a run with how many points it has, by key. */
export async function listSeries(db: pg.Pool, runId: string): Promise<SeriesInfo[]> {
  checkRunId(runId);
  const { rows } = await db.query<{ key: string; points: number; step: number; value: number }>(
    `SELECT l.key, l.step, l.value, (SELECT count(*)::int FROM metric m WHERE m.run_id = l.run_id AND m.key = l.key) AS points
       FROM latest_metric l WHERE l.run_id = $1 ORDER BY l.key COLLATE "C"`,
    [runId],
  );
  return rows.map((r) => ({ key: r.key, points: r.points, lastStep: r.step, lastValue: r.value }));
}

/** The series `keys` of a run (in the order asked; a key the run lacks comes back empty). */
export async function chartSeries(db: pg.Pool, runId: string, keys: readonly string[], maxPoints = MAX_CHART_POINTS): Promise<ChartSeries[]> {
  checkRunId(runId);
  if (!Number.isInteger(maxPoints) || maxPoints < 3 || maxPoints > MAX_CHART_POINTS) {
    throw new TrackingInputError(`maxPoints: ${maxPoints} must be an integer from 3 to ${MAX_CHART_POINTS}`);
  }
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  if (unique.length > MAX_SERIES_PER_REQUEST) throw new TrackingInputError(`keys: ${unique.length} series asked for; at most ${MAX_SERIES_PER_REQUEST} per request`);
  const buckets = Math.floor((maxPoints - 1) / 2);
  const { rows } = await db.query<{ key: string; n: number; step: number; value: number; timestamp: Date }>(
    `WITH s AS (
       SELECT key, step, value, "timestamp",
              row_number() OVER (PARTITION BY key ORDER BY step) - 1 AS i,
              count(*) OVER (PARTITION BY key) AS n
         FROM metric WHERE run_id = $1 AND key = ANY($2::text[])
     ), b AS (
       SELECT *, CASE WHEN n <= $3 THEN i ELSE (i * $4) / n END AS bucket FROM s
     ), r AS (
       SELECT *, row_number() OVER (PARTITION BY key, bucket ORDER BY value ASC, step) AS lo_rank,
                 row_number() OVER (PARTITION BY key, bucket ORDER BY value DESC, step) AS hi_rank
         FROM b
     )
     SELECT key, n::int AS n, step, value, "timestamp" FROM r
      WHERE n <= $3 OR lo_rank = 1 OR hi_rank = 1 OR i = n - 1
      ORDER BY key, step`,
    [runId, unique, maxPoints, buckets],
  );
  const byKey = new Map<string, ChartSeries>(unique.map((key) => [key, { key, total: 0, points: [] }]));
  for (const r of rows) {
    const series = byKey.get(r.key) as ChartSeries;
    series.total = r.n;
    series.points.push({ step: r.step, value: r.value, timestamp: r.timestamp.getTime() });
  }
  return unique.map((key) => byKey.get(key) as ChartSeries);
}
