// Chart series, downsampled in SQL. A series longer than `maxPoints` is cut into
// floor((maxPoints - 1) / 2) buckets of equal step ranges (for a long series, unions of whole
// metric_rollup buckets: equal to within one rollup bucket of 1/16 or less); each bucket keeps its minimum and its
// maximum point (one point when they coincide), and the series' last point is always kept — so a
// loss spike survives however long the run, and the curve ends where the run is. Never more than
// maxPoints points. NaN sorts above every number in PostgreSQL, so a NaN is a bucket's maximum:
// a diverged step stays visible.
import type pg from 'pg';
import { TrackingInputError } from '../errors';
import { checkRunId } from '../validation';
import { ROLLUP_LEVELS, TOP_ROLLUP_LEVEL } from '../store/metric-rollup';

export const MAX_CHART_POINTS = 1000;

// Times travel as epoch milliseconds (a float8 parses far faster in node-postgres than a
// timestamptz turned into a Date, and a chart payload has up to 50,000 of them).
export const MAX_SERIES_PER_REQUEST = 50;

/**
 * One series for a chart, as columns: point i is (steps[i], values[i], timestamps[i]), in step
 * order. Columns rather than point objects because a run page carries tens of thousands of points
 * and serialisers (superjson, React's flight payload) walk every object.
 */
export interface ChartSeries {
  key: string;
  /** Points stored for this series (before downsampling). */
  total: number;
  steps: number[];
  values: number[];
  /** Epoch ms: the x-axis in time. */
  timestamps: number[];
}

export interface SeriesInfo {
  key: string;
  points: number;
  lastStep: number;
  lastValue: number;
}

// A series' point count is summed from its coarsest rollup buckets (a few rows) rather than
// counted over its points (a million index entries for a long run).
const POINTS_OF = (run: string, key: string) =>
  `(SELECT coalesce(sum(r.points), 0)::int FROM metric_rollup r WHERE r.run_id = ${run} AND r.key = ${key} AND r.level = ${TOP_ROLLUP_LEVEL})`;

/** Every series of a run with how many points it has, by key. */
export async function listSeries(db: pg.Pool, runId: string): Promise<SeriesInfo[]> {
  checkRunId(runId);
  const { rows } = await db.query<{ key: string; points: number; step: number; value: number }>(
    `SELECT l.key, l.step, l.value, ${POINTS_OF('l.run_id', 'l.key')} AS points
       FROM latest_metric l WHERE l.run_id = $1 ORDER BY l.key COLLATE "C"`,
    [runId],
  );
  return rows.map((r) => ({ key: r.key, points: r.points, lastStep: r.step, lastValue: r.value }));
}

/** '{1,2.5,NaN}' (a PostgreSQL array's text) → numbers; far faster than node-postgres' array parser. */
const numbers = (text: string | null) => (text === null || text === '{}' ? [] : text.slice(1, -1).split(',').map(Number));

interface Bounds {
  key: string;
  n: number;
  lo: number;
  hi: number;
  last_value: number;
  last_ms: number;
}

interface BucketRow {
  key: string;
  lo_value: number;
  lo_step: number;
  lo_ms: number;
  hi_value: number;
  hi_step: number;
  hi_ms: number;
}

/**
 * Which rows a long series is bucketed from: its points (level 0) when a display bucket spans
 * fewer than 16 steps, else the coarsest rollup level whose buckets fit inside one display bucket
 * — so a series of any length is read as at most ~16 × `buckets` rows.
 */
export function rollupLevelFor(stepRange: number, buckets: number): number {
  const width = stepRange / buckets;
  return [...ROLLUP_LEVELS].reverse().find((level) => 2 ** level <= width) ?? 0;
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
  // Bounds, count and last point of each series: index lookups and a few rollup rows.
  const bounds = await db.query<Bounds>(
    `SELECT k.key, ${POINTS_OF('$1', 'k.key')} AS n, f.step AS lo, l.step AS hi, l.value AS last_value,
            (extract(epoch FROM l."timestamp") * 1000)::float8 AS last_ms
       FROM unnest($2::text[]) AS k(key)
       JOIN LATERAL (SELECT step FROM metric m WHERE m.run_id = $1 AND m.key = k.key ORDER BY step LIMIT 1) f ON true
       JOIN LATERAL (SELECT step, value, "timestamp" FROM metric m WHERE m.run_id = $1 AND m.key = k.key ORDER BY step DESC LIMIT 1) l ON true`,
    [runId, unique],
  );
  const byKey = new Map<string, ChartSeries>(unique.map((key) => [key, { key, total: 0, steps: [], values: [], timestamps: [] }]));
  for (const b of bounds.rows) (byKey.get(b.key) as ChartSeries).total = b.n;
  const small = bounds.rows.filter((b) => b.n <= maxPoints);
  const big = bounds.rows.filter((b) => b.n > maxPoints).map((b) => ({ ...b, level: rollupLevelFor(b.hi - b.lo + 1, buckets) }));
  const [whole, bucketed] = await Promise.all([
    small.length === 0
      ? { rows: [] }
      : db.query<{ key: string; steps: string; vals: string; times: string }>(
          `SELECT key, array_agg(step ORDER BY step)::text AS steps, array_agg(value ORDER BY step)::text AS vals,
                  array_agg((extract(epoch FROM "timestamp") * 1000)::float8 ORDER BY step)::text AS times
             FROM metric WHERE run_id = $1 AND key = ANY($2::text[]) GROUP BY key`,
          [runId, small.map((b) => b.key)],
        ),
    big.length === 0 ? { rows: [] } : db.query<BucketRow>(BUCKETS_SQL, [runId, big.map((b) => b.key), big.map((b) => b.lo), big.map((b) => b.hi), big.map((b) => b.level), buckets]),
  ]);
  for (const r of whole.rows) {
    const series = byKey.get(r.key) as ChartSeries;
    series.steps = numbers(r.steps);
    series.values = numbers(r.vals);
    series.timestamps = numbers(r.times).map(Math.round);
  }
  const picked = new Map<string, Map<number, [number, number]>>(big.map((b) => [b.key, new Map([[b.hi, [b.last_value, b.last_ms]]])]));
  for (const r of bucketed.rows) {
    const points = picked.get(r.key) as Map<number, [number, number]>;
    points.set(r.lo_step, [r.lo_value, r.lo_ms]);
    points.set(r.hi_step, [r.hi_value, r.hi_ms]);
  }
  for (const [key, points] of picked) {
    const series = byKey.get(key) as ChartSeries;
    for (const step of [...points.keys()].sort((a, b) => a - b)) {
      const [value, ms] = points.get(step) as [number, number];
      series.steps.push(step);
      series.values.push(value);
      series.timestamps.push(Math.round(ms));
    }
  }
  return unique.map((key) => byKey.get(key) as ChartSeries);
}

// Long series in `buckets` display buckets of equal step ranges, each keeping its minimum and its
// maximum point. Level 0 buckets the points themselves (one pass of hash aggregation: a window
// function over row numbers took 0.4 s at 50,000 points); a rollup level regroups its buckets by
// where each starts, so display buckets are unions of whole rollup buckets and their extremes are
// exactly the extremes of their points. min/max over [value, ±step, ms] arrays compare
// lexicographically: the extreme value, ties to the earliest step, its step and time carried along.
const BUCKETS_SQL = `
WITH b AS (SELECT * FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS b(key, lo, hi, level)),
agg AS (
  SELECT m.key, min(ARRAY[m.value, m.step::float8, (extract(epoch FROM m."timestamp") * 1000)::float8]) AS lo_point,
         max(ARRAY[m.value, -m.step::float8, (extract(epoch FROM m."timestamp") * 1000)::float8]) AS hi_point
    FROM metric m JOIN b ON b.key = m.key AND b.level = 0
   WHERE m.run_id = $1 AND m.key = ANY($2::text[])
   GROUP BY m.key, ((m.step - b.lo)::bigint * $6) / (b.hi - b.lo + 1)
  UNION ALL
  SELECT r.key, min(ARRAY[r.min_value, r.min_step::float8, r.min_ms]), max(ARRAY[r.max_value, -r.max_step::float8, r.max_ms])
    FROM metric_rollup r JOIN b ON b.key = r.key AND b.level = r.level
   WHERE r.run_id = $1 AND r.key = ANY($2::text[]) AND r.level > 0
   GROUP BY r.key, ((greatest(r.bucket::bigint << b.level, b.lo) - b.lo) * $6) / (b.hi - b.lo + 1)
)
SELECT key, lo_point[1] AS lo_value, lo_point[2]::int AS lo_step, lo_point[3] AS lo_ms,
       hi_point[1] AS hi_value, (-hi_point[2])::int AS hi_step, hi_point[3] AS hi_ms
  FROM agg`;
