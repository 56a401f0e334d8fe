// Job leases on top of pg-boss 10.
//
// pg-boss 10 notices a vanished worker only through expiration: an active job whose
// `started_on + expire_in` has passed is failed by maintenance and retried. It has no heartbeat
// (timgit/pg-boss#436), so a fixed expiration has to be longer than the longest training run, and
// a killed worker's run would then wait hours before another worker retried it. We keep pg-boss
// for storage, claiming (SKIP LOCKED), retries, expiry and archiving, and add one statement: a
// running job pushes its own expiry `leaseSeconds` into the future on every heartbeat. A dead
// worker stops renewing and its job is retried about one lease later, however long runs are.
//
// This is the only SQL in this library that touches pg-boss's tables (columns of its 10.x
// schema: name, id, state, retry_count, retry_limit, started_on, expire_in). Re-check it when
// upgrading.
import type PgBoss from 'pg-boss';

export interface LeaseHolder {
  queueName: string;
  jobId: string;
  /**
   * pg-boss's retry_count when this worker claimed the job. Each new claim of a job that was
   * already started raises it, so it identifies this attempt: a worker whose job was expired and
   * handed to another worker cannot renew (or complete) the other worker's attempt.
   */
  retryCount: number;
}

export function renewLeaseSql(schema: string): string {
  return `
    UPDATE ${schema}.job
    SET expire_in = (now() - started_on) + make_interval(secs => $4::double precision)
    WHERE name = $1 AND id = $2::uuid AND state = 'active' AND retry_count = $3
    RETURNING id`;
}

/** Extends the lease; false when this attempt no longer holds the job. */
export async function renewLease(
  db: PgBoss.Db,
  schema: string,
  lease: LeaseHolder,
  leaseSeconds: number,
): Promise<boolean> {
  const result = await db.executeSql(renewLeaseSql(schema), [
    lease.queueName,
    lease.jobId,
    lease.retryCount,
    leaseSeconds,
  ]);
  return result.rows.length === 1;
}

/**
 * Uses up the job's remaining retries, so that failing it next ends it for good: pg-boss 10 has
 * no per-failure "do not retry", and a failure that would repeat on every attempt (a run that
 * does not fit in memory) should not hold workers for the retries. False when this attempt no
 * longer holds the job.
 */
export async function forgoRetries(db: PgBoss.Db, schema: string, lease: LeaseHolder): Promise<boolean> {
  const result = await db.executeSql(
    `UPDATE ${schema}.job SET retry_limit = retry_count
      WHERE name = $1 AND id = $2::uuid AND state = 'active' AND retry_count = $3
      RETURNING id`,
    [lease.queueName, lease.jobId, lease.retryCount],
  );
  return result.rows.length === 1;
}
