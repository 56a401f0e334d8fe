// Chart series, downsampled in SQL. A series longer than `maxPoints` is cut into
// floor((maxPoints - 1) / 2) buckets of equal step ranges; each bucket keeps its minimum and its
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
  // Each query reads only what it needs: the bounds from the index, short series whole, long ones
  // in one pass of hash aggregation over step-range buckets (a window function over row numbers
  // took 0.4 s at 50,000 points). min/max over [value, step] arrays compare lexicographically, so
  // they carry the step of the extreme value (ties: the earliest step); the chosen points' times
  // are looked up afterwards by primary key.
  const bounds = await db.query<{ key: string; lo: number; hi: number; n: number }>(
    'SELECT key, min(step) AS lo, max(step) AS hi, count(*)::int AS n FROM metric WHERE run_id = $1 AND key = ANY($2::text[]) GROUP BY key',
    [runId, unique],
  );
  const byKey = new Map<string, ChartSeries>(unique.map((key) => [key, { key, total: 0, points: [] }]));
  for (const b of bounds.rows) (byKey.get(b.key) as ChartSeries).total = b.n;
  const small = bounds.rows.filter((b) => b.n <= maxPoints);
  const big = bounds.rows.filter((b) => b.n > maxPoints);
  const [whole, chosen] = await Promise.all([
    small.length === 0
      ? { rows: [] }
      : db.query<{ key: string; step: number; value: number; timestamp: Date }>(
          'SELECT key, step, value, "timestamp" FROM metric WHERE run_id = $1 AND key = ANY($2::text[]) ORDER BY key, step',
          [runId, small.map((b) => b.key)],
        ),
    big.length === 0
      ? { rows: [] }
      : db.query<{ key: string; step: number; value: number; timestamp: Date }>(
          `WITH b AS (SELECT * FROM unnest($2::text[], $3::int[], $4::int[]) AS b(key, lo, hi)),
           agg AS (
             SELECT m.key, min(ARRAY[m.value, m.step::float8]) AS lo_point, max(ARRAY[m.value, -m.step::float8]) AS hi_point
               FROM metric m JOIN b ON b.key = m.key
              WHERE m.run_id = $1 AND m.key = ANY($2::text[])
              GROUP BY m.key, ((m.step - b.lo)::bigint * $5) / (b.hi - b.lo + 1)
           ), steps AS (
             SELECT key, lo_point[2]::int AS step FROM agg
             UNION SELECT key, (-hi_point[2])::int FROM agg
             UNION SELECT key, hi FROM b
           )
           SELECT m.key, m.step, m.value, m."timestamp" FROM steps s JOIN metric m ON m.run_id = $1 AND m.key = s.key AND m.step = s.step
            ORDER BY m.key, m.step`,
          [runId, big.map((b) => b.key), big.map((b) => b.lo), big.map((b) => b.hi), buckets],
        ),
  ]);
  for (const r of [...whole.rows, ...chosen.rows]) {
    (byKey.get(r.key) as ChartSeries).points.push({ step: r.step, value: r.value, timestamp: r.timestamp.getTime() });
  }
  return unique.map((key) => byKey.get(key) as ChartSeries);
}
