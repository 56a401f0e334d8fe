// Run lifecycle writes in SQL (not Prisma) so that they run inside the same pool as the bulk writes
// and stay single statements: each is idempotent and safe to replay from the client's journal.
import type pg from 'pg';
import { UnknownRunError } from '../errors';
import { staleMessage } from '../store/stale';
import { refreshSweepStatus } from './sweep-status';
import { TERMINAL_STATUSES, type SetRunStatusOptions } from '../store/tracking-store';
import type { RunStatus } from '../types';
import { checkRunId, checkTimestamp } from '../validation';

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'finished', 'failed', 'killed', 'stale'];

export async function setRunStatus(
  db: pg.Pool | pg.PoolClient,
  runId: string,
  status: RunStatus,
  options: SetRunStatusOptions = {},
): Promise<void> {
  checkRunId(runId);
  if (!RUN_STATUSES.includes(status)) throw new TypeError(`status '${String(status)}' is not one of ${RUN_STATUSES.join(', ')}`);
  const at = options.at ?? Date.now();
  checkTimestamp(at, 'setRunStatus.at');
  const when = new Date(at);
  let result: pg.QueryResult;
  if (status === 'running') {
    result = await db.query(
      `UPDATE run SET status = 'running', started_at = COALESCE(started_at, $2),
              heartbeat_at = GREATEST(heartbeat_at, $2), ended_at = NULL, duration_ms = NULL, error_text = NULL
        WHERE id = $1 RETURNING sweep_id`,
      [runId, when],
    );
  } else if (TERMINAL_STATUSES.includes(status)) {
    result = await db.query(
      `UPDATE run SET status = $2::"RunStatus", ended_at = $3,
              duration_ms = CASE WHEN started_at IS NULL THEN NULL
                                 ELSE round(extract(epoch FROM ($3::timestamptz - started_at)) * 1000)::int END,
              error_text = $4
        WHERE id = $1 RETURNING sweep_id`,
      [runId, status, when, options.error ?? null],
    );
  } else {
    result = await db.query(
      `UPDATE run SET status = $2::"RunStatus", ended_at = NULL, duration_ms = NULL WHERE id = $1 RETURNING sweep_id`,
      [runId, status],
    );
  }
  if (result.rowCount === 0) throw new UnknownRunError(runId);
  await refreshSweepStatus(db, result.rows.map((r: { sweep_id: string | null }) => r.sweep_id));
}

/** Never moves the heartbeat back; a stale run that is heard from again is running again. */
export async function recordHeartbeat(db: pg.Pool | pg.PoolClient, runId: string, at: number): Promise<void> {
  checkRunId(runId);
  checkTimestamp(at, 'heartbeat.at');
  const result = await db.query(
    `UPDATE run SET heartbeat_at = GREATEST(heartbeat_at, $2),
            status = CASE WHEN revived THEN 'running'::"RunStatus" ELSE status END,
            ended_at = CASE WHEN revived THEN NULL ELSE ended_at END,
            duration_ms = CASE WHEN revived THEN NULL ELSE duration_ms END,
            error_text = CASE WHEN revived THEN NULL ELSE error_text END
       FROM (SELECT id AS rid, (status = 'stale' AND ended_at IS NOT NULL AND $2 > ended_at) AS revived
               FROM run WHERE id = $1) AS r
      WHERE run.id = r.rid
      RETURNING run.sweep_id, r.revived`,
    [runId, new Date(at)],
  );
  if (result.rowCount === 0) throw new UnknownRunError(runId);
  // Only a revived stale run changes its sweep's status; a plain heartbeat costs no second query.
  const row = result.rows[0] as { sweep_id: string | null; revived: boolean };
  if (row.revived) await refreshSweepStatus(db, [row.sweep_id]);
}

export interface MarkStaleRunsOptions {
  /**
   * Runs known to be alive, never marked: e.g. those the calling process trains itself, whose
   * heartbeat may be late only because a long training step holds up its event loop.
   */
  except?: readonly string[];
}

/**
 * A run whose process died stays "running" forever unless someone notices: this marks running runs
 * without a heartbeat (or start) in the last `olderThanMs` as stale and returns their ids.
 */
export async function markStaleRuns(
  db: pg.Pool | pg.PoolClient,
  olderThanMs: number,
  now = Date.now(),
  options: MarkStaleRunsOptions = {},
): Promise<string[]> {
  if (!Number.isFinite(olderThanMs) || olderThanMs <= 0) {
    throw new TypeError(`markStaleRuns: olderThanMs ${olderThanMs} must be a positive number of milliseconds`);
  }
  const except = [...(options.except ?? [])];
  for (const id of except) checkRunId(id, 'markStaleRuns.except');
  const nowDate = new Date(now);
  const candidates = await db.query<{ id: string; last_sign: Date | null; host: string | null }>(
    `SELECT id, COALESCE(heartbeat_at, started_at) AS last_sign, host FROM run
      WHERE status = 'running' AND COALESCE(heartbeat_at, started_at, created_at) < $1 AND NOT (id = ANY($2::uuid[]))
      ORDER BY id`,
    [new Date(now - olderThanMs), except],
  );
  if (candidates.rowCount === 0) return [];
  const ids = candidates.rows.map((r) => r.id);
  const messages = candidates.rows.map((r) => staleMessage(r.last_sign?.getTime() ?? null, olderThanMs, r.host));
  // The status re-check keeps a run that just ended or sent a heartbeat from being overwritten.
  const updated = await db.query<{ id: string; sweep_id: string | null }>(
    `UPDATE run SET status = 'stale', ended_at = $1,
            duration_ms = CASE WHEN started_at IS NULL THEN NULL
                               ELSE round(extract(epoch FROM ($1::timestamptz - started_at)) * 1000)::int END,
            error_text = m.message
       FROM unnest($2::uuid[], $3::text[]) AS m(id, message)
      WHERE run.id = m.id AND run.status = 'running' AND COALESCE(run.heartbeat_at, run.started_at, run.created_at) < $4
      RETURNING run.id, run.sweep_id`,
    [nowDate, ids, messages, new Date(now - olderThanMs)],
  );
  await refreshSweepStatus(db, updated.rows.map((r) => r.sweep_id));
  return updated.rows.map((r) => r.id).sort();
}
