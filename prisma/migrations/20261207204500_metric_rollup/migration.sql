-- CreateTable
CREATE TABLE "metric_rollup" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(250) NOT NULL,
    "level" SMALLINT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "points" INTEGER NOT NULL,
    "min_step" INTEGER NOT NULL,
    "min_value" DOUBLE PRECISION NOT NULL,
    "min_ms" DOUBLE PRECISION NOT NULL,
    "max_step" INTEGER NOT NULL,
    "max_value" DOUBLE PRECISION NOT NULL,
    "max_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_rollup_pkey" PRIMARY KEY ("run_id","key","level","bucket")
);

-- AddForeignKey
ALTER TABLE "metric_rollup" ADD CONSTRAINT "metric_rollup_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the buckets of every point stored before the writer kept them (the same aggregate as
-- libs/tracking/src/store/metric-rollup.ts: levels 4, 8 and 12, i.e. 16, 256 and 4,096 steps).
INSERT INTO "metric_rollup" ("run_id", "key", "level", "bucket", "points", "min_step", "min_value", "min_ms", "max_step", "max_value", "max_ms")
SELECT run_id, key, level, bucket, points, lo[2]::int, lo[1], lo[3], (-hi[2])::int, hi[1], hi[3]
  FROM (
    SELECT p.run_id, p.key, l.level, p.step >> l.level AS bucket, count(*)::int AS points,
           min(ARRAY[p.value, p.step::float8, p.ms]) AS lo, max(ARRAY[p.value, -p.step::float8, p.ms]) AS hi
      FROM (SELECT run_id, key, step, value, (extract(epoch FROM "timestamp") * 1000)::float8 AS ms FROM "metric") p
     CROSS JOIN unnest(ARRAY[4, 8, 12]::smallint[]) AS l(level)
     GROUP BY p.run_id, p.key, l.level, p.step >> l.level
  ) b;
