// The metric_rollup table (see prisma/schema.prisma): per series, each bucket of 2^level steps
// holds its minimum and maximum point and how many points it has. The writer keeps it in the same
// statement that inserts the points (INSERT_METRICS below), from the rows that insert returns, so a
// point counts once however often a batch is replayed, and a crash cannot leave the two apart.
// Charts of long series read these rows instead of every point (read/metric-series.ts).

/** Bucket widths as powers of two: 16, 256 and 4,096 steps. */
export const ROLLUP_LEVELS = [4, 8, 12] as const;

/** The coarsest level: the fewest rows to sum a series' point count from. */
export const TOP_ROLLUP_LEVEL = ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1] as number;

// min/max over [value, ±step, ms] arrays compare lexicographically: the smallest (largest) value,
// ties to the earliest step, carrying that point's step and time along. NaN sorts above every
// number in PostgreSQL, so a NaN is a bucket's maximum and a diverged step stays visible.
const AGGREGATE = (source: string) => `
SELECT p.key, l.level, p.step >> l.level AS bucket, count(*)::int AS points,
       min(ARRAY[p.value, p.step::float8, p.ms]) AS lo, max(ARRAY[p.value, -p.step::float8, p.ms]) AS hi
  FROM ${source} p CROSS JOIN unnest(ARRAY[${ROLLUP_LEVELS.join(', ')}]::smallint[]) AS l(level)
 GROUP BY p.key, l.level, p.step >> l.level`;

const [FINEST_LEVEL, ...COARSER_LEVELS] = ROLLUP_LEVELS;

// The writer's version of AGGREGATE: the finest buckets from the points (one array pair per point,
// not one per point and level), then the coarser ones from those buckets — the minimum of the
// buckets' minima is the minimum of their points, ties still to the earliest step. About 3× less
// work per inserted point than AGGREGATE over every level (the ingest bench measures it); the test
// of the writer compares its rows with AGGREGATE's over the stored points.
const AGGREGATE_FROM_FINEST = (source: string) => `
finest AS (
  SELECT p.key, p.step >> ${FINEST_LEVEL} AS bucket, count(*)::int AS points,
         min(ARRAY[p.value, p.step::float8, p.ms]) AS lo, max(ARRAY[p.value, -p.step::float8, p.ms]) AS hi
    FROM ${source} p
   GROUP BY p.key, p.step >> ${FINEST_LEVEL}
), buckets AS (
  SELECT key, ${FINEST_LEVEL}::smallint AS level, bucket, points, lo, hi FROM finest
  UNION ALL
  SELECT f.key, l.level, f.bucket >> (l.level - ${FINEST_LEVEL}) AS bucket, sum(f.points)::int, min(f.lo), max(f.hi)
    FROM finest f CROSS JOIN unnest(ARRAY[${COARSER_LEVELS.join(', ')}]::smallint[]) AS l(level)
   GROUP BY f.key, l.level, f.bucket >> (l.level - ${FINEST_LEVEL})
)`;

/**
 * Inserts a batch of points ($1 run, $2 keys, $3 steps, $4 values, $5 epoch ms) and merges the ones
 * actually inserted into their rollup buckets (one statement: atomic). Points already stored are skipped (the first value
 * written for (run, key, step) stays) and, not being returned, leave the rollup as it is.
 */
export const INSERT_METRICS = `
WITH inserted AS (
  INSERT INTO metric (run_id, key, step, value, "timestamp")
  SELECT $1::uuid, k, s, v, to_timestamp(t / 1000.0)
    FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[]) AS u(k, s, v, t)
  ON CONFLICT DO NOTHING
  RETURNING key, step, value, (extract(epoch FROM "timestamp") * 1000)::float8 AS ms
), ${AGGREGATE_FROM_FINEST('inserted')}
INSERT INTO metric_rollup AS r (run_id, key, level, bucket, points, min_step, min_value, min_ms, max_step, max_value, max_ms)
SELECT $1::uuid, key, level, bucket, points, lo[2]::int, lo[1], lo[3], (-hi[2])::int, hi[1], hi[3] FROM buckets
 ORDER BY key, level, bucket -- one lock order, so concurrent writers to a run cannot deadlock
ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET
  points = r.points + EXCLUDED.points,
  min_step = CASE WHEN (EXCLUDED.min_value, EXCLUDED.min_step) < (r.min_value, r.min_step) THEN EXCLUDED.min_step ELSE r.min_step END,
  min_value = CASE WHEN (EXCLUDED.min_value, EXCLUDED.min_step) < (r.min_value, r.min_step) THEN EXCLUDED.min_value ELSE r.min_value END,
  min_ms = CASE WHEN (EXCLUDED.min_value, EXCLUDED.min_step) < (r.min_value, r.min_step) THEN EXCLUDED.min_ms ELSE r.min_ms END,
  max_step = CASE WHEN (EXCLUDED.max_value, -EXCLUDED.max_step) > (r.max_value, -r.max_step) THEN EXCLUDED.max_step ELSE r.max_step END,
  max_value = CASE WHEN (EXCLUDED.max_value, -EXCLUDED.max_step) > (r.max_value, -r.max_step) THEN EXCLUDED.max_value ELSE r.max_value END,
  max_ms = CASE WHEN (EXCLUDED.max_value, -EXCLUDED.max_step) > (r.max_value, -r.max_step) THEN EXCLUDED.max_ms ELSE r.max_ms END`;

/** The rollup of every point stored (the migration's backfill, and a test's check of the writer). */
export const ROLLUP_FROM_METRIC = `
WITH buckets AS (${AGGREGATE('(SELECT run_id, key, step, value, (extract(epoch FROM "timestamp") * 1000)::float8 AS ms FROM metric WHERE run_id = $1::uuid)')})
SELECT key, level, bucket, points, lo[2]::int AS min_step, lo[1] AS min_value, lo[3] AS min_ms, (-hi[2])::int AS max_step, hi[1] AS max_value, hi[3] AS max_ms
  FROM buckets ORDER BY key COLLATE "C", level, bucket`;
