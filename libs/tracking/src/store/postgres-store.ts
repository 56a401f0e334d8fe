// The PostgreSQL TrackingStore. Bulk writes go through pg with whole columns as array parameters
// (INSERT ... SELECT FROM unnest(...)), one statement per kind of row: a 20,000-point batch is one
// round trip. Idempotence comes from the primary keys: ON CONFLICT DO NOTHING for metric points (and
// their rollup buckets, merged from the rows that insert returns: metric-rollup.ts) and
// params, DO UPDATE for tags and results. Floats are written with pg, never Prisma, because Prisma
// 7.10 turns ±Infinity into NaN on the way in.
import { toTaskResult, type TaskResultRow } from './task-result-row';
import { createHash, randomUUID } from 'node:crypto';
import type { DbConnection } from '@ovus/db';
import type pg from 'pg';
import { ParamConflictError, TrackingInputError, UnknownRunError } from '../errors';
import { BLOB_PART_BYTES, deleteUnreferencedBlobs, insertBlob, lockBlobs, pruneOrphanBlobs, type PruneOrphanBlobsResult } from '../repositories/artifact-blobs';
import { createRun, getRun } from '../repositories/runs';
import { markStaleRuns, recordHeartbeat, setRunStatus } from '../repositories/run-status';
import { refreshSweepStatus } from '../repositories/sweep-status';
import type {
  ArtifactInfo,
  ArtifactInput,
  CasePredictionInput,
  ConfusionMatrixInput,
  CreateRunInput,
  DataSplit,
  FetchedArtifact,
  KeyValue,
  LogBatch,
  MetricPoint,
  RocCurveInput,
  RocPointInput,
  RunRecord,
  RunStatus,
  TaskResultInput,
  TaskResultRecord,
} from '../types';
import {
  checkArtifactKind,
  checkArtifactPath,
  checkConfusionMatrix,
  checkKey,
  checkRocCurve,
  checkRunId,
  checkStep,
  checkTaskResult,
  normaliseBatch,
} from '../validation';
import { withPoolClient } from './pool-client';
import { checkMaxPoints, type MetricHistoryOptions, type PredictionFilter, type SetRunStatusOptions, type TrackingStore } from './tracking-store';
import { listPredictions } from '../repositories/predictions';
import { INSERT_METRICS } from './metric-rollup';

const FOREIGN_KEY_VIOLATION = '23503';

// Then, per key of the batch, its highest step is looked up in metric — so latest_metric always
// holds a stored value, even when this batch lost a (key, step) to an earlier write — and moves
// only forward ("step <"), whatever order batches and concurrent writers arrive in. A separate
// statement (a few rows) rather than RETURNING from the insert, which measured ~15% slower; if
// the process dies between the two, the retried or replayed batch repairs it.
const UPSERT_LATEST = `
INSERT INTO latest_metric (run_id, key, step, value, "timestamp")
SELECT m.run_id, m.key, m.step, m.value, m."timestamp"
  FROM unnest($2::text[], $3::int[]) AS top(key, step)
  JOIN metric m ON m.run_id = $1::uuid AND m.key = top.key AND m.step = top.step
 ORDER BY m.key
ON CONFLICT (run_id, key) DO UPDATE
  SET step = EXCLUDED.step, value = EXCLUDED.value, "timestamp" = EXCLUDED."timestamp"
  WHERE latest_metric.step < EXCLUDED.step`;

// A param is set once: if any given key already holds another value, nothing is inserted and the
// conflicts come back, so even this single statement writes all or nothing.
const INSERT_PARAMS = `
WITH given AS (SELECT * FROM unnest($2::text[], $3::text[]) AS g(key, value)),
conflicts AS (
  SELECT g.key, p.value AS stored, g.value AS given
    FROM given g JOIN param p ON p.run_id = $1::uuid AND p.key = g.key
   WHERE p.value <> g.value
),
inserted AS (
  INSERT INTO param (run_id, key, value)
  SELECT $1::uuid, key, value FROM given WHERE NOT EXISTS (SELECT 1 FROM conflicts)
  ON CONFLICT DO NOTHING
)
SELECT key, stored, given FROM conflicts ORDER BY key COLLATE "C"`;

const UPSERT_TAGS = `
INSERT INTO tag (run_id, key, value)
SELECT $1::uuid, key, value FROM unnest($2::text[], $3::text[]) AS t(key, value)
ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value`;

// Per-case predictions: the last value wins, so a replayed or re-logged batch changes nothing and
// a resumed run's final predictions replace an earlier attempt's. unnest cannot yield one array per
// row from a 2-D array, so each probability row travels as an array literal and is cast per row.
const UPSERT_PREDICTIONS = `
INSERT INTO run_prediction (run_id, split, task, case_id, label, predicted, probabilities)
SELECT $1::uuid, s::"DataSplit", t, c, l, p, pr::float8[]
  FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[]) AS u(s, t, c, l, p, pr)
ON CONFLICT (run_id, split, task, case_id) DO UPDATE
  SET label = EXCLUDED.label, predicted = EXCLUDED.predicted, probabilities = EXCLUDED.probabilities`;

export interface PostgresTrackingStoreOptions {
  /** Largest part an artifact's bytes are stored in (default 64 MiB; smaller in tests). */
  blobPartBytes?: number;
}

export class PostgresTrackingStore implements TrackingStore {
  private readonly pool: pg.Pool;
  private readonly blobPartBytes: number;

  constructor(
    private readonly db: Pick<DbConnection, 'pool' | 'prisma'>,
    options: PostgresTrackingStoreOptions = {},
  ) {
    this.pool = db.pool;
    this.blobPartBytes = options.blobPartBytes ?? BLOB_PART_BYTES;
    if (!Number.isInteger(this.blobPartBytes) || this.blobPartBytes < 1) throw new RangeError(`blobPartBytes must be a positive integer; got ${this.blobPartBytes}`);
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    checkRunId(runId);
    const normalised = normaliseBatch(batch);
    const { params, metrics, tags, predictions } = normalised;
    const kinds = [params.length, metrics.length, tags.length, predictions.length].filter((n) => n > 0).length;
    if (kinds === 0) {
      await this.requireRun(runId);
      return;
    }
    if (kinds === 1 && metrics.length === 0) {
      // One statement is atomic on its own: no transaction, one round trip.
      await this.translate(runId, () => this.writeBatch(this.pool, runId, normalised));
      return;
    }
    if (kinds === 1) {
      // Metrics alone: the insert is atomic, and the latest upkeep after it is idempotent, so no
      // transaction is needed (one connection, two statements).
      await withPoolClient(this.pool, (client) => this.translate(runId, () => this.writeBatch(client, runId, normalised)));
      return;
    }
    await this.inTransaction(runId, (client) => this.writeBatch(client, runId, normalised));
  }

  private async writeBatch(db: pg.Pool | pg.PoolClient, runId: string, batch: Required<LogBatch>): Promise<void> {
    const { params, metrics, tags, predictions } = batch;
    if (predictions.length > 0) {
      await db.query(UPSERT_PREDICTIONS, [
        runId,
        predictions.map((p) => p.split),
        predictions.map((p) => p.task),
        predictions.map((p) => p.caseId),
        predictions.map((p) => p.label),
        predictions.map((p) => p.predicted),
        predictions.map((p) => `{${p.probabilities.map(String).join(',')}}`),
      ]);
    }
    if (params.length > 0) {
      const conflicts = await db.query<{ key: string; stored: string; given: string }>(INSERT_PARAMS, [
        runId,
        params.map((p) => p.key),
        params.map((p) => p.value),
      ]);
      if (conflicts.rows.length > 0) throw new ParamConflictError(runId, conflicts.rows);
    }
    if (tags.length > 0) {
      await db.query(UPSERT_TAGS, [runId, tags.map((t) => t.key), tags.map((t) => t.value)]);
    }
    if (metrics.length > 0) {
      const n = metrics.length;
      const keys = new Array<string>(n);
      const steps = new Array<number>(n);
      const values = new Array<number>(n);
      const times = new Array<number>(n);
      const topStep = new Map<string, number>();
      for (let i = 0; i < n; i += 1) {
        const m = metrics[i] as MetricPoint;
        keys[i] = m.key;
        steps[i] = m.step;
        values[i] = m.value;
        times[i] = m.timestamp;
        const top = topStep.get(m.key);
        if (top === undefined || m.step > top) topStep.set(m.key, m.step);
      }
      await db.query(INSERT_METRICS, [runId, keys, steps, values, times]);
      await db.query(UPSERT_LATEST, [runId, [...topStep.keys()], [...topStep.values()]]);
    }
  }

  async createRun(input: CreateRunInput): Promise<{ run: RunRecord; created: boolean }> {
    const created = await createRun(this.db.prisma, input);
    // A run added to a sweep that had ended (a rerun) makes it running again.
    if (created.created) await refreshSweepStatus(this.pool, [created.run.sweepId]);
    return created;
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    return getRun(this.db.prisma, runId);
  }

  async setRunStatus(runId: string, status: RunStatus, options?: SetRunStatusOptions): Promise<void> {
    await setRunStatus(this.pool, runId, status, options);
  }

  async heartbeat(runId: string, at: number): Promise<void> {
    await recordHeartbeat(this.pool, runId, at);
  }

  async markEndingInJournal(runId: string, explanation: string, now = Date.now()): Promise<void> {
    const ending = await this.pool.query<{ sweep_id: string | null }>(
      `UPDATE run SET status = 'stale', ended_at = $3,
              duration_ms = CASE WHEN started_at IS NULL THEN NULL
                                 ELSE round(extract(epoch FROM ($3::timestamptz - started_at)) * 1000)::int END,
              error_text = $2
        WHERE id = $1 AND status = 'running' RETURNING sweep_id`,
      [runId, explanation, new Date(now)],
    );
    await refreshSweepStatus(this.pool, ending.rows.map((r) => r.sweep_id));
  }

  async markStaleRuns(olderThanMs: number, now?: number): Promise<string[]> {
    return markStaleRuns(this.pool, olderThanMs, now);
  }

  async saveTaskResult(runId: string, r: TaskResultInput): Promise<void> {
    checkRunId(runId);
    checkTaskResult(r);
    await this.translate(runId, () =>
      this.pool.query(
        `INSERT INTO task_result (run_id, task, split, averaging, accuracy, accuracy_lo, accuracy_hi,
                precision, precision_lo, precision_hi, recall, recall_lo, recall_hi, f1, f1_lo, f1_hi,
                auc, auc_lo, auc_hi, support)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         ON CONFLICT (run_id, task, split, averaging) DO UPDATE SET
           accuracy = EXCLUDED.accuracy, accuracy_lo = EXCLUDED.accuracy_lo, accuracy_hi = EXCLUDED.accuracy_hi,
           precision = EXCLUDED.precision, precision_lo = EXCLUDED.precision_lo, precision_hi = EXCLUDED.precision_hi,
           recall = EXCLUDED.recall, recall_lo = EXCLUDED.recall_lo, recall_hi = EXCLUDED.recall_hi,
           f1 = EXCLUDED.f1, f1_lo = EXCLUDED.f1_lo, f1_hi = EXCLUDED.f1_hi,
           auc = EXCLUDED.auc, auc_lo = EXCLUDED.auc_lo, auc_hi = EXCLUDED.auc_hi, support = EXCLUDED.support`,
        [
          runId, r.task, r.split, r.averaging,
          r.accuracy.value, r.accuracy.lo, r.accuracy.hi,
          r.precision.value, r.precision.lo, r.precision.hi,
          r.recall.value, r.recall.lo, r.recall.hi,
          r.f1.value, r.f1.lo, r.f1.hi,
          r.auc?.value ?? null, r.auc?.lo ?? null, r.auc?.hi ?? null,
          r.support,
        ],
      ),
    );
  }

  async saveConfusionMatrix(runId: string, m: ConfusionMatrixInput): Promise<void> {
    checkRunId(runId);
    checkConfusionMatrix(m);
    await this.translate(runId, () =>
      this.pool.query(
        `INSERT INTO confusion_matrix (run_id, task, split, labels, counts) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (run_id, task, split) DO UPDATE SET labels = EXCLUDED.labels, counts = EXCLUDED.counts`,
        [runId, m.task, m.split, [...m.labels], JSON.stringify(m.counts)],
      ),
    );
  }

  async saveRocCurve(runId: string, c: RocCurveInput): Promise<void> {
    checkRunId(runId);
    checkRocCurve(c);
    await this.inTransaction(runId, async (client) => {
      await client.query('DELETE FROM roc_point WHERE run_id = $1 AND task = $2 AND split = $3 AND class_code = $4', [
        runId, c.task, c.split, c.classCode,
      ]);
      await client.query(
        `INSERT INTO roc_point (run_id, task, split, class_code, idx, fpr, tpr, threshold)
         SELECT $1, $2, $3, $4, i - 1, f, t, th
           FROM unnest($5::float8[], $6::float8[], $7::float8[]) WITH ORDINALITY AS p(f, t, th, i)`,
        [runId, c.task, c.split, c.classCode, c.points.map((p) => p.fpr), c.points.map((p) => p.tpr), c.points.map((p) => p.threshold)],
      );
    });
  }

  async saveArtifact(runId: string, a: ArtifactInput): Promise<ArtifactInfo> {
    checkRunId(runId);
    checkArtifactPath(a.path);
    checkArtifactKind(a.kind);
    if (a.step !== null) checkStep(a.step, 'artifact.step');
    const data = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (sha256 !== a.sha256) {
      throw new TrackingInputError(`artifact '${a.path}': its bytes hash to ${sha256}, not the given ${a.sha256}`);
    }
    return this.inTransaction(runId, async (client) => {
      await this.requireRun(runId, client);
      // The row this replaces, if any, locked: writers of one (run, path) take turns.
      const previous = await client.query<{ sha256: string }>('SELECT sha256 FROM artifact WHERE run_id = $1 AND path = $2 FOR UPDATE', [runId, a.path]);
      const replaced = previous.rows[0]?.sha256;
      const orphanCandidates = replaced !== undefined && replaced !== sha256 ? [replaced] : [];
      // Held until commit, so that no concurrent delete removes the blob this row will refer to.
      await lockBlobs(client, [sha256, ...orphanCandidates]);
      // Content-addressed: the same checkpoint logged by many runs is stored once.
      await insertBlob(client, sha256, data, this.blobPartBytes);
      const row = await client.query<ArtifactRow>(
        `INSERT INTO artifact AS a (id, run_id, path, kind, sha256, bytes, uri, step) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (run_id, path) DO UPDATE SET kind = EXCLUDED.kind, sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes,
           uri = EXCLUDED.uri, step = EXCLUDED.step, created_at = now()
         RETURNING ${ARTIFACT_COLUMNS}`,
        [randomUUID(), runId, a.path, a.kind, sha256, data.length, `db:${sha256}`, a.step],
      );
      // The replaced bytes go unless another row (of this or any run) still refers to them.
      await deleteUnreferencedBlobs(client, orphanCandidates);
      return toArtifactInfo(row.rows[0] as ArtifactRow);
    });
  }

  async deleteArtifacts(runId: string, paths: readonly string[]): Promise<number> {
    checkRunId(runId);
    for (const path of paths) checkArtifactPath(path);
    if (paths.length === 0) {
      await this.requireRun(runId);
      return 0;
    }
    return this.inTransaction(runId, async (client) => {
      await this.requireRun(runId, client);
      const deleted = await client.query<{ sha256: string }>(
        'DELETE FROM artifact WHERE run_id = $1 AND path = ANY($2::text[]) RETURNING sha256',
        [runId, [...paths]],
      );
      const hashes = [...new Set(deleted.rows.map((r) => r.sha256))];
      await lockBlobs(client, hashes);
      await deleteUnreferencedBlobs(client, hashes);
      return deleted.rowCount ?? 0;
    });
  }

  async pruneOrphanBlobs(): Promise<PruneOrphanBlobsResult> {
    return pruneOrphanBlobs(this.pool);
  }

  async fetchArtifact(runId: string, path: string): Promise<FetchedArtifact | null> {
    checkRunId(runId);
    await this.requireRun(runId);
    // One statement, so one snapshot: the row and all its parts, even while the artifact is replaced.
    const rows = await this.pool.query<ArtifactRow & { data: Buffer }>(
      `SELECT ${ARTIFACT_COLUMNS}, p.data FROM artifact a JOIN artifact_blob_part p ON p.sha256 = a.sha256
        WHERE a.run_id = $1 AND a.path = $2 ORDER BY p.part`,
      [runId, path],
    );
    const first = rows.rows[0];
    if (!first) return null;
    const data = rows.rows.length === 1 ? first.data : Buffer.concat(rows.rows.map((r) => r.data));
    return { ...toArtifactInfo(first), data };
  }

  async getParams(runId: string): Promise<Record<string, string>> {
    return this.keyValues('param', runId);
  }

  async getTags(runId: string): Promise<Record<string, string>> {
    return this.keyValues('tag', runId);
  }

  private async keyValues(table: 'param' | 'tag', runId: string): Promise<Record<string, string>> {
    checkRunId(runId);
    await this.requireRun(runId);
    const rows = await this.pool.query<KeyValue>(`SELECT key, value FROM ${table} WHERE run_id = $1 ORDER BY key COLLATE "C"`, [runId]);
    return Object.fromEntries(rows.rows.map((r) => [r.key, r.value]));
  }

  async getMetricHistory(runId: string, key: string, options: MetricHistoryOptions = {}): Promise<MetricPoint[]> {
    checkRunId(runId);
    checkKey(key, 'key');
    checkMaxPoints(options.maxPoints);
    await this.requireRun(runId);
    // Same downsampling rule as downsampleStride(): every stride-th point by step, and the last.
    const rows = await this.pool.query<MetricRow>(
      `WITH s AS (
         SELECT key, step, value, "timestamp", row_number() OVER (ORDER BY step) - 1 AS i, count(*) OVER () AS n
           FROM metric WHERE run_id = $1 AND key = $2)
       SELECT key, step, value, "timestamp" FROM s
        WHERE $3::int IS NULL OR n <= $3 OR i = n - 1 OR i % ceil((n - 1)::numeric / ($3 - 1))::bigint = 0
        ORDER BY step`,
      [runId, key, options.maxPoints ?? null],
    );
    return rows.rows.map(toMetricPoint);
  }

  async getLatestMetrics(runId: string): Promise<MetricPoint[]> {
    checkRunId(runId);
    await this.requireRun(runId);
    const rows = await this.pool.query<MetricRow>(
      'SELECT key, step, value, "timestamp" FROM latest_metric WHERE run_id = $1 ORDER BY key COLLATE "C"',
      [runId],
    );
    return rows.rows.map(toMetricPoint);
  }

  async getTaskResults(runId: string): Promise<TaskResultRecord[]> {
    checkRunId(runId);
    await this.requireRun(runId);
    const rows = await this.pool.query<TaskResultRow>(
      'SELECT * FROM task_result WHERE run_id = $1 ORDER BY task COLLATE "C", split, averaging',
      [runId],
    );
    return rows.rows.map(toTaskResult);
  }

  async getConfusionMatrices(runId: string): Promise<ConfusionMatrixInput[]> {
    checkRunId(runId);
    await this.requireRun(runId);
    const rows = await this.pool.query<{ task: string; split: DataSplit; labels: number[]; counts: number[][] }>(
      'SELECT task, split, labels, counts FROM confusion_matrix WHERE run_id = $1 ORDER BY task COLLATE "C", split',
      [runId],
    );
    return rows.rows.map((r) => ({ task: r.task, split: r.split, labels: r.labels, counts: r.counts }));
  }

  async getRocCurve(runId: string, task: string, split: DataSplit, classCode: number): Promise<RocPointInput[]> {
    checkRunId(runId);
    await this.requireRun(runId);
    const rows = await this.pool.query<RocPointInput>(
      `SELECT fpr, tpr, threshold FROM roc_point WHERE run_id = $1 AND task = $2 AND split = $3 AND class_code = $4 ORDER BY idx`,
      [runId, task, split, classCode],
    );
    return rows.rows.map((r) => ({ fpr: r.fpr, tpr: r.tpr, threshold: r.threshold }));
  }

  async getPredictions(runId: string, filter: PredictionFilter = {}): Promise<CasePredictionInput[]> {
    checkRunId(runId);
    await this.requireRun(runId);
    return listPredictions(this.pool, runId, filter);
  }

  async listArtifacts(runId: string): Promise<ArtifactInfo[]> {
    checkRunId(runId);
    await this.requireRun(runId);
    const rows = await this.pool.query<ArtifactRow>(
      `SELECT ${ARTIFACT_COLUMNS} FROM artifact a WHERE run_id = $1 ORDER BY path COLLATE "C"`,
      [runId],
    );
    return rows.rows.map(toArtifactInfo);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  private async requireRun(runId: string, db: pg.Pool | pg.PoolClient = this.pool): Promise<void> {
    const found = await db.query('SELECT 1 FROM run WHERE id = $1', [runId]);
    if (found.rowCount === 0) throw new UnknownRunError(runId);
  }

  /** Runs `body` and reports a foreign-key failure on run_id as an unknown run. */
  private async translate<T>(runId: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new UnknownRunError(runId);
      throw error;
    }
  }

  private async inTransaction<T>(runId: string, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withPoolClient(this.pool, (client) => this.translate(runId, () => body(client)), { transaction: true });
  }
}

const ARTIFACT_COLUMNS = 'a.path, a.kind, a.sha256, a.bytes, a.uri, a.step, a.created_at';

interface ArtifactRow {
  path: string;
  kind: string;
  sha256: string;
  bytes: string; // bigint arrives as text
  uri: string;
  step: number | null;
  created_at: Date;
}

function toArtifactInfo(r: ArtifactRow): ArtifactInfo {
  return { path: r.path, kind: r.kind, sha256: r.sha256, bytes: Number(r.bytes), uri: r.uri, step: r.step, createdAt: r.created_at.getTime() };
}

interface MetricRow {
  key: string;
  step: number;
  value: number;
  timestamp: Date;
}

function toMetricPoint(r: MetricRow): MetricPoint {
  return { key: r.key, step: r.step, value: r.value, timestamp: r.timestamp.getTime() };
}

