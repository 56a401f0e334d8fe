// Projects and sweeps as the dashboard lists them: with counts, and for sweeps the live progress
// (runs done, running, queued, failed) and an ETA from the durations of the runs finished so far.
import type pg from 'pg';
import { TrackingInputError } from '../errors';
import type { RunStatus } from '../types';
import { checkRunId } from '../validation';
import { cursorText, decodeCursor, encodeCursor } from './cursor';

export const MAX_LIST_PAGE = 100;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ProjectSummary {
  id: string;
  name: string;
  description: string | null;
  createdAt: number;
  sweepCount: number;
  runCount: number;
  /** When a run of it last started or ended (null: none has). */
  lastActivityAt: number | null;
}

export type SweepStatusName = 'pending' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface SweepProgress {
  total: number;
  /** Runs per status (every status present, 0 when none). */
  byStatus: Record<RunStatus, number>;
  /** finished + failed + killed + stale: runs that will not train again unless retried. */
  done: number;
  /** Mean duration of the finished runs (null: none finished yet). */
  meanRunMs: number | null;
  /**
   * Rough time until every queued and running run is done: the queued runs' share of mean run time
   * spread over the runs training now (at least one), plus what the running ones have left. Null
   * when nothing is left or no run has finished yet.
   */
  etaMs: number | null;
}

export interface SweepSummary {
  id: string;
  projectId: string;
  projectName: string;
  name: string;
  status: SweepStatusName;
  createdAt: number;
  finishedAt: number | null;
  progress: SweepProgress;
}

export interface SweepDetail extends SweepSummary {
  config: unknown;
  configHash: string;
}

function checkLimit(limit: number | undefined, fallback = 50): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIST_PAGE) throw new TrackingInputError(`limit: ${value} must be an integer from 1 to ${MAX_LIST_PAGE}`);
  return value;
}

const PROJECT_SELECT = `
  SELECT p.id, p.name, p.description, p.created_at,
         (SELECT count(*)::int FROM sweep s WHERE s.project_id = p.id) AS sweep_count,
         (SELECT count(*)::int FROM run r WHERE r.project_id = p.id) AS run_count,
         (SELECT max(GREATEST(r.started_at, r.ended_at)) FROM run r WHERE r.project_id = p.id) AS last_activity
    FROM project p`;

interface ProjectRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  sweep_count: number;
  run_count: number;
  last_activity: Date | null;
}

const toProject = (r: ProjectRow): ProjectSummary => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at.getTime(),
  sweepCount: r.sweep_count,
  runCount: r.run_count,
  lastActivityAt: r.last_activity?.getTime() ?? null,
});

/** By name. */
export async function listProjects(db: pg.Pool, options: { limit?: number; cursor?: string | null } = {}): Promise<Page<ProjectSummary>> {
  const limit = checkLimit(options.limit);
  const params: unknown[] = [];
  let where = '';
  if (options.cursor) {
    const at = decodeCursor(options.cursor, 'name');
    checkRunId(at.id, 'cursor');
    params.push(at.value ?? '', at.id);
    where = 'WHERE (p.name COLLATE "C", p.id) > ($1 COLLATE "C", $2::uuid)';
  }
  const { rows } = await db.query<ProjectRow>(`${PROJECT_SELECT} ${where} ORDER BY p.name COLLATE "C", p.id LIMIT ${limit + 1}`, params);
  const items = rows.slice(0, limit).map(toProject);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ sort: 'name', value: last.name, id: last.id }) : null };
}

export async function getProject(db: pg.Pool, projectId: string): Promise<ProjectSummary | null> {
  checkRunId(projectId, 'projectId');
  const { rows } = await db.query<ProjectRow>(`${PROJECT_SELECT} WHERE p.id = $1`, [projectId]);
  return rows[0] ? toProject(rows[0]) : null;
}

const SWEEP_SELECT = `
  SELECT s.id, s.project_id, p.name AS project_name, s.name, s.status, s.created_at, s.finished_at, s.config, s.config_hash,
         c.counts, c.mean_ms, c.running_elapsed_ms
    FROM sweep s
    JOIN project p ON p.id = s.project_id
    LEFT JOIN LATERAL (
      SELECT jsonb_object_agg(status, n) AS counts,
             (SELECT avg(duration_ms) FROM run f WHERE f.sweep_id = s.id AND f.status = 'finished') AS mean_ms,
             (SELECT coalesce(sum(extract(epoch FROM (now() - r2.started_at)) * 1000), 0)
                FROM run r2 WHERE r2.sweep_id = s.id AND r2.status = 'running' AND r2.started_at IS NOT NULL) AS running_elapsed_ms
        FROM (SELECT status::text AS status, count(*)::int AS n FROM run r WHERE r.sweep_id = s.id GROUP BY status) AS per_status
    ) c ON true`;

interface SweepRow {
  id: string;
  project_id: string;
  project_name: string;
  name: string;
  status: SweepStatusName;
  created_at: Date;
  finished_at: Date | null;
  config: unknown;
  config_hash: string;
  counts: Partial<Record<RunStatus, number>> | null;
  mean_ms: string | number | null;
  running_elapsed_ms: string | number | null;
}

const STATUSES: readonly RunStatus[] = ['queued', 'running', 'finished', 'failed', 'killed', 'stale'];

export function sweepProgress(counts: Partial<Record<RunStatus, number>>, meanRunMs: number | null, runningElapsedMs: number): SweepProgress {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<RunStatus, number>;
  const total = STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
  const done = byStatus.finished + byStatus.failed + byStatus.killed + byStatus.stale;
  let etaMs: number | null = null;
  if (meanRunMs !== null && byStatus.queued + byStatus.running > 0) {
    const parallel = Math.max(1, byStatus.running);
    const runningLeft = Math.max(0, byStatus.running * meanRunMs - runningElapsedMs);
    etaMs = Math.round((byStatus.queued * meanRunMs + runningLeft) / parallel);
  }
  return { total, byStatus, done, meanRunMs, etaMs };
}

function toSweep(r: SweepRow): SweepDetail {
  const mean = r.mean_ms === null ? null : Number(r.mean_ms);
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    name: r.name,
    status: r.status,
    createdAt: r.created_at.getTime(),
    finishedAt: r.finished_at?.getTime() ?? null,
    config: r.config,
    configHash: r.config_hash,
    progress: sweepProgress(r.counts ?? {}, mean, Number(r.running_elapsed_ms ?? 0)),
  };
}

/** Newest first. */
export async function listSweeps(
  db: pg.Pool,
  options: { projectId?: string; statuses?: readonly SweepStatusName[]; limit?: number; cursor?: string | null } = {},
): Promise<Page<SweepSummary>> {
  const limit = checkLimit(options.limit);
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.projectId) {
    checkRunId(options.projectId, 'projectId');
    params.push(options.projectId);
    where.push(`s.project_id = $${params.length}::uuid`);
  }
  if (options.statuses?.length) {
    params.push([...options.statuses]);
    where.push(`s.status = ANY($${params.length}::"SweepStatus"[])`);
  }
  if (options.cursor) {
    const at = decodeCursor(options.cursor, 'createdAt:desc');
    checkRunId(at.id, 'cursor');
    params.push(at.value, at.id);
    where.push(`(s.created_at < $${params.length - 1}::timestamptz OR (s.created_at = $${params.length - 1}::timestamptz AND s.id > $${params.length}::uuid))`);
  }
  const { rows } = await db.query<SweepRow>(
    `${SWEEP_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.created_at DESC, s.id LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit).map((r) => {
    const { config: _config, configHash: _hash, ...summary } = toSweep(r);
    return summary;
  });
  const last = rows[Math.min(rows.length, limit) - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ sort: 'createdAt:desc', value: cursorText(last.created_at), id: last.id }) : null,
  };
}

export async function getSweepDetail(db: pg.Pool, sweepId: string): Promise<SweepDetail | null> {
  checkRunId(sweepId, 'sweepId');
  const { rows } = await db.query<SweepRow>(`${SWEEP_SELECT} WHERE s.id = $1`, [sweepId]);
  return rows[0] ? toSweep(rows[0]) : null;
}
