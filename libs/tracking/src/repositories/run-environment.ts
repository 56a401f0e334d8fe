// Where and with what a run attempt executes. A queued run is created long before a worker picks
// it up, so these fields are filled in by the worker, at the start of every attempt.
import type pg from 'pg';
import { UnknownRunError } from '../errors';
import { checkRunId } from '../validation';

export interface RunEnvironment {
  gitCommit: string | null;
  /** The tfjs backend actually used (tensorflow, wasm, cpu). */
  tfjsBackend: string;
  host: string;
  /** CPU, memory, accelerator, runtime versions: anything JSON. */
  hardware: unknown;
  /** 1 for the first attempt; a retried or resumed run counts up. */
  attempt: number;
}

export async function recordRunEnvironment(db: pg.Pool | pg.PoolClient, runId: string, env: RunEnvironment): Promise<void> {
  checkRunId(runId);
  const result = await db.query(
    `UPDATE run SET git_commit = $2, tfjs_backend = $3, host = $4, hardware = $5::jsonb, attempt = $6 WHERE id = $1`,
    [runId, env.gitCommit?.slice(0, 64) ?? null, env.tfjsBackend.slice(0, 50), env.host.slice(0, 255), JSON.stringify(env.hardware ?? null), env.attempt],
  );
  if (result.rowCount === 0) throw new UnknownRunError(runId);
}
