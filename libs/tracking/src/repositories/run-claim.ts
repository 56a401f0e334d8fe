// One process trains a run at a time. An attempt in a process of its own (`train --resume`,
// `rerun --here`) claims the run first: refused while the run is `running` with a recent heartbeat
// from a process that may be alive — unless that process ran on this host and its pid is dead (a
// SIGKILLed `train`, resumed at once). The claim is a compare-and-set on the row, so two processes
// claiming together cannot both win. Workers need no claim: the queue's lease makes them exclusive.
import type pg from 'pg';
import { UnknownRunError } from '../errors';
import { checkRunId } from '../validation';
import { refreshSweepStatus } from './sweep-status';

export interface ClaimRunOptions {
  /** The name this process records on the run (OVUS_HOST or the hostname). */
  host: string;
  pid: number;
  /** A running run heard from within this long counts as held by its process. */
  liveWithinMs: number;
  now?: number;
  /** The caller knows the last holder's attempt is over (e.g. it cancelled that attempt's queued job): claim regardless. */
  holderIsOver?: boolean;
  /** Whether a pid of this host is alive (default: kill(pid, 0)). */
  isAlive?: (pid: number) => boolean;
}

export type ClaimRunResult =
  | { claimed: true }
  | { claimed: false; holder: { host: string | null; pid: number | null; heartbeatAt: number | null } };

interface ClaimRow {
  status: string;
  host: string | null;
  pid: string | null;
  heartbeat_at: Date | null;
}

export async function claimRunForAttempt(db: pg.Pool, runId: string, options: ClaimRunOptions): Promise<ClaimRunResult> {
  checkRunId(runId);
  const now = options.now ?? Date.now();
  const alive = options.isAlive ?? pidAlive;
  for (let round = 0; round < 5; round += 1) {
    const { rows } = await db.query<ClaimRow>(
      `SELECT status, host, CASE WHEN jsonb_typeof(hardware) = 'object' THEN hardware->>'pid' END AS pid, heartbeat_at FROM run WHERE id = $1`,
      [runId],
    );
    const row = rows[0];
    if (!row) throw new UnknownRunError(runId);
    const heartbeatAt = row.heartbeat_at?.getTime() ?? null;
    const pid = row.pid !== null && /^\d+$/.test(row.pid) ? Number(row.pid) : null;
    const recent = row.status === 'running' && heartbeatAt !== null && now - heartbeatAt < options.liveWithinMs;
    const deadHere = row.host === options.host && pid !== null && pid !== options.pid && !alive(pid);
    if (recent && !deadHere && !options.holderIsOver && !(row.host === options.host && pid === options.pid)) {
      return { claimed: false, holder: { host: row.host, pid, heartbeatAt } };
    }
    const updated = await db.query(
      `UPDATE run SET status = 'running', heartbeat_at = $2, host = $3,
              hardware = jsonb_set(CASE WHEN jsonb_typeof(hardware) = 'object' THEN hardware ELSE '{}'::jsonb END, '{pid}', to_jsonb($4::int))
        WHERE id = $1 AND status::text = $5 AND heartbeat_at IS NOT DISTINCT FROM $6
              AND host IS NOT DISTINCT FROM $7 AND (CASE WHEN jsonb_typeof(hardware) = 'object' THEN hardware->>'pid' END) IS NOT DISTINCT FROM $8
        RETURNING sweep_id`,
      [runId, new Date(now), options.host.slice(0, 255), options.pid, row.status, row.heartbeat_at, row.host, row.pid],
    );
    if (updated.rowCount === 1) {
      await refreshSweepStatus(db, updated.rows.map((r: { sweep_id: string | null }) => r.sweep_id));
      return { claimed: true };
    }
    // Someone changed the row between the read and the write: look again.
  }
  throw new Error(`Run ${runId} keeps changing under this claim; try again.`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
