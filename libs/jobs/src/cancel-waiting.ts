// Cancelling only the jobs that are waiting (created, or waiting for a retry), in one statement.
//
// pg-boss 10's cancel() also cancels *active* jobs, and checking the state first leaves a gap in
// which a worker can claim the job: the run would then be cancelled under a worker that keeps
// training it, while the caller (e.g. `train --resume --take-over`) starts training it too. Here
// the state check and the update are one row-locked statement: a job that a worker claims first
// is left alone and reported as not cancelled.
//
// Like lease.ts, this touches pg-boss's own table (columns of its 10.x schema: name, id, state,
// completed_on). Re-check it when upgrading pg-boss.
import type PgBoss from 'pg-boss';

export function cancelWaitingSql(schema: string): string {
  return `
    UPDATE ${schema}.job
    SET state = 'cancelled', completed_on = now()
    WHERE name = $1 AND id = ANY($2::uuid[]) AND state IN ('created', 'retry')
    RETURNING id`;
}

/** Cancels those of the jobs that are waiting; returns the ids it cancelled. */
export async function cancelWaitingJobs(db: PgBoss.Db, schema: string, queueName: string, jobIds: readonly string[]): Promise<string[]> {
  const result = await db.executeSql(cancelWaitingSql(schema), [queueName, [...jobIds]]);
  return (result.rows as { id: string }[]).map((row) => row.id);
}
