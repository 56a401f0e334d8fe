// A sweep's stored status follows its runs: pending until one of them starts, running while any
// trains or waits after one started, and once none is queued or running, finished — or failed
// when one failed, was killed or went stale. Every write that changes a run's status calls this
// for the run's sweep, so the stored status is right whichever process (worker, `train`, journal
// replay, stale sweep) made the change. Derived from the runs, it is idempotent: replaying a write
// gives the same status, and finished_at is the last run's end, not the time of the refresh.
// A cancelled sweep stays cancelled. The sweep row is locked first and the runs read after, so two
// runs ending at once cannot leave the status of the one that read the runs first.
import type pg from 'pg';

const REFRESH = `
  UPDATE sweep s SET status = d.status::"SweepStatus", finished_at = d.finished_at
    FROM (
      SELECT CASE
               WHEN count(*) FILTER (WHERE r.status = 'running') > 0 THEN 'running'
               WHEN count(*) = 0 OR count(*) FILTER (WHERE r.status <> 'queued') = 0 THEN 'pending'
               WHEN count(*) FILTER (WHERE r.status = 'queued') > 0 THEN 'running'
               WHEN count(*) FILTER (WHERE r.status IN ('failed', 'killed', 'stale')) > 0 THEN 'failed'
               ELSE 'finished'
             END AS status,
             CASE WHEN count(*) > 0 AND count(*) FILTER (WHERE r.status IN ('queued', 'running')) = 0 THEN max(r.ended_at) END AS finished_at
        FROM run r WHERE r.sweep_id = $1
    ) d
   WHERE s.id = $1 AND s.status <> 'cancelled'
     AND (s.status::text <> d.status OR s.finished_at IS DISTINCT FROM d.finished_at)`;

/** Brings the sweeps' stored status in line with their runs (ids without a sweep are ignored). */
export async function refreshSweepStatus(db: pg.Pool | pg.PoolClient, sweepIds: readonly (string | null)[]): Promise<void> {
  const ids = [...new Set(sweepIds.filter((id): id is string => id !== null))].sort();
  if (ids.length === 0) return;
  // A pool hands out a client for the transaction; a client given by the caller is used as it is
  // (the caller's transaction, if any, holds the lock).
  const pooled = 'release' in db ? null : await db.connect();
  const client = pooled ?? (db as pg.PoolClient);
  try {
    if (pooled) await pooled.query('BEGIN');
    for (const id of ids) {
      await client.query('SELECT 1 FROM sweep WHERE id = $1 FOR UPDATE', [id]);
      await client.query(REFRESH, [id]);
    }
    if (pooled) await pooled.query('COMMIT');
  } catch (error) {
    if (pooled) await pooled.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    pooled?.release();
  }
}

/** The sweeps of these runs (for writes that know only run ids). */
export async function sweepsOfRuns(db: pg.Pool | pg.PoolClient, runIds: readonly string[]): Promise<string[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query<{ sweep_id: string }>('SELECT DISTINCT sweep_id::text FROM run WHERE id = ANY($1::uuid[]) AND sweep_id IS NOT NULL', [[...runIds]]);
  return rows.map((r) => r.sweep_id);
}
