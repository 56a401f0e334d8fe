// Artifact bytes are content-addressed (artifact_blob, keyed by sha256) and may be shared by many
// artifact rows, of one run or of several. The bytes themselves are in artifact_blob_part, in parts
// of at most BLOB_PART_BYTES: PostgreSQL refuses any value or protocol message over 1 GB (a
// ViT-B/16 checkpoint with Adam's state is ~1.03 GB), and smaller parts keep the server's memory
// per statement bounded. A blob is deleted as soon as no artifact row refers to
// it: when a row is replaced (saveArtifact, e.g. `checkpoints/latest.ckpt` every epoch) and when
// runs are deleted (pruneOrphanBlobs).
//
// Nothing in the schema ties artifact.sha256 to artifact_blob, so the check "no row refers to it"
// and a writer that is about to refer to it again must not interleave: otherwise a writer that
// found the blob present (and so did not insert it) could commit a row pointing at bytes a
// concurrent delete has just removed. Both sides therefore hold a transaction-level advisory lock
// per blob (keyed by the hash) — writers from before the blob insert until commit, deleters from
// before the reference check until commit — taken in ascending key order so that two
// transactions never wait on each other in a cycle. Read Committed gives each statement a fresh
// snapshot, so a check made after the lock is granted sees every writer that held it.
import type pg from 'pg';
import { UnknownRunError } from '../errors';
import { withPoolClient } from '../store/pool-client';
import { checkRunId } from '../validation';

// First key of pg_advisory_xact_lock(int, int): says "artifact blob" ('ovab'), so these locks do
// not collide with other users of advisory locks in the same database.
const BLOB_LOCK_CLASS = 0x6f766162;

/** The lock key of a blob: its hash's first 32 bits. Two blobs sharing a key only wait for each other. */
function blobLockKey(sha256: string): number {
  return Number.parseInt(sha256.slice(0, 8), 16) | 0;
}

/**
 * Locks the blobs (until the transaction ends), in ascending key order. Must run inside a
 * transaction, before the blob rows are inserted, checked or deleted.
 */
export async function lockBlobs(client: pg.PoolClient, sha256s: readonly string[]): Promise<void> {
  const keys = [...new Set(sha256s.map(blobLockKey))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int[]) WITH ORDINALITY AS u(k, i) ORDER BY i', [BLOB_LOCK_CLASS, keys]);
}

export const BLOB_PART_BYTES = 64 * 1024 * 1024;

/**
 * Stores a blob (its row and its parts) unless it is stored already; its lock must be held. Every
 * blob has at least one part (an empty one for zero bytes), so a join with its parts finds it.
 */
export async function insertBlob(client: pg.PoolClient, sha256: string, data: Buffer, partBytes = BLOB_PART_BYTES): Promise<void> {
  const inserted = await client.query(
    'INSERT INTO artifact_blob (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING RETURNING sha256',
    [sha256, data.length],
  );
  if (inserted.rowCount === 0) return; // content-addressed: the same bytes are stored once
  for (let part = 0, offset = 0; part === 0 || offset < data.length; part += 1, offset += partBytes) {
    await client.query('INSERT INTO artifact_blob_part (sha256, part, data) VALUES ($1, $2, $3)', [
      sha256,
      part,
      data.subarray(offset, offset + partBytes),
    ]);
  }
}

/** Deletes those of the given blobs that no artifact row refers to (their parts by cascade); their locks must be held. */
export async function deleteUnreferencedBlobs(client: pg.PoolClient, sha256s: readonly string[]): Promise<{ sha256: string; bytes: number }[]> {
  if (sha256s.length === 0) return [];
  const deleted = await client.query<{ sha256: string; bytes: string }>(
    `DELETE FROM artifact_blob b
      WHERE b.sha256 = ANY($1::bpchar[])
        AND NOT EXISTS (SELECT 1 FROM artifact a WHERE a.sha256 = b.sha256)
      RETURNING b.sha256, b.bytes`,
    [[...sha256s]],
  );
  return deleted.rows.map((r) => ({ sha256: r.sha256, bytes: Number(r.bytes) }));
}

// Blobs per pass: each holds one advisory lock until its transaction ends, and PostgreSQL's lock
// table is sized for about 64 locks per connection.
const PRUNE_BATCH = 50;

export interface PruneOrphanBlobsResult {
  /** Blobs deleted. */
  blobs: number;
  /** Bytes they held. */
  bytes: number;
}

/**
 * Deletes every blob no artifact row refers to any more (left by deleted runs or projects, whose
 * artifact rows go with them by cascade). Safe while other processes write artifacts. With
 * `among`, looks only at those hashes (e.g. the artifacts of a run just deleted).
 */
export async function pruneOrphanBlobs(pool: pg.Pool, among?: readonly string[]): Promise<PruneOrphanBlobsResult> {
  const result: PruneOrphanBlobsResult = { blobs: 0, bytes: 0 };
  let after = '';
  for (;;) {
    const candidates = await pool.query<{ sha256: string }>(
      `SELECT b.sha256 FROM artifact_blob b
        WHERE b.sha256 > $1::bpchar AND ($2::bpchar[] IS NULL OR b.sha256 = ANY($2::bpchar[]))
          AND NOT EXISTS (SELECT 1 FROM artifact a WHERE a.sha256 = b.sha256)
        ORDER BY b.sha256 LIMIT ${PRUNE_BATCH}`,
      [after, among ? [...among] : null],
    );
    const hashes = candidates.rows.map((r) => r.sha256);
    if (hashes.length === 0) return result;
    after = hashes[hashes.length - 1];
    // Checked again under the locks: a writer may have referred to one meanwhile.
    const deleted = await withPoolClient(
      pool,
      async (client) => {
        await lockBlobs(client, hashes);
        return deleteUnreferencedBlobs(client, hashes);
      },
      { transaction: true },
    );
    result.blobs += deleted.length;
    for (const blob of deleted) result.bytes += blob.bytes;
    if (hashes.length < PRUNE_BATCH) return result;
  }
}

/**
 * Deletes a run with everything it logged (by cascade: params, metrics, results, artifacts), then
 * the blobs only it referred to. Two steps, so that deleting never waits on a blob lock while it
 * holds the run's rows; if the process dies between them, the next pruneOrphanBlobs() cleans up.
 */
export async function deleteRun(pool: pg.Pool, runId: string): Promise<PruneOrphanBlobsResult> {
  checkRunId(runId);
  const referenced = await pool.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM artifact WHERE run_id = $1', [runId]);
  const deleted = await pool.query('DELETE FROM run WHERE id = $1', [runId]);
  if (deleted.rowCount === 0) throw new UnknownRunError(runId);
  const hashes = referenced.rows.map((r) => r.sha256);
  return hashes.length === 0 ? { blobs: 0, bytes: 0 } : pruneOrphanBlobs(pool, hashes);
}
