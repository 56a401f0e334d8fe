// The runs table: filter, sort by any column or by a latest metric, keyset paging. One statement
// for the page (limit + 1 rows say whether there is a next page), one for the total, one each for
// the page's latest metrics and tags. Rows are explicit columns: config, hardware and error text
// belong to the run's own page.
import type pg from 'pg';
import { TrackingInputError } from '../errors';
import type { RunStatus } from '../types';
import { checkRunId } from '../validation';
import { cursorText, decodeCursor, encodeCursor } from './cursor';

export const RUN_SORT_COLUMNS = ['createdAt', 'startedAt', 'endedAt', 'name', 'status', 'backbone', 'imageSize', 'seed', 'durationMs'] as const;
export type RunSortColumn = (typeof RUN_SORT_COLUMNS)[number];

export type RunSort = { column: RunSortColumn; direction: 'asc' | 'desc' } | { metric: string; direction: 'asc' | 'desc' };

export const MAX_RUN_PAGE = 200;
export const MAX_METRIC_COLUMNS = 20;

export interface RunQuery {
  projectId?: string;
  sweepId?: string;
  statuses?: readonly RunStatus[];
  backbones?: readonly string[];
  /** Runs that train exactly this set of tasks (any order). */
  tasks?: readonly string[];
  datasetVersionId?: string;
  /** A tag that the run has (any value when `value` is left out). */
  tag?: { key: string; value?: string };
  /** Case-insensitive substring of the run's name. */
  text?: string;
  sort?: RunSort;
  /** Latest values of these series come with every row. */
  metrics?: readonly string[];
  /** 1 … 200, default 50. */
  limit?: number;
  cursor?: string | null;
}

export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus;
  backbone: string;
  tasks: string[];
  imageSize: number;
  seed: number;
  fold: number | null;
  projectId: string;
  sweepId: string | null;
  sweepName: string | null;
  groupKey: string | null;
  datasetVersionId: string | null;
  datasetName: string | null;
  /** First 12 hex digits of the version's content hash (as the trainer prints it). */
  datasetVersion: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  heartbeatAt: number | null;
  durationMs: number | null;
  host: string | null;
  tfjsBackend: string | null;
  attempt: number;
  tags: Record<string, string>;
  /** The requested series' latest points (absent key: the run has no such series). */
  metrics: Record<string, { value: number; step: number }>;
}

export interface RunPage {
  items: RunListItem[];
  nextCursor: string | null;
  /** Runs matching the filter, all pages together. */
  total: number;
}

interface ColumnSpec {
  expr: string;
  type: 'timestamptz' | 'text' | 'int' | 'float8';
  sentinel: string;
}

const COLUMNS: Record<RunSortColumn, ColumnSpec> = {
  createdAt: { expr: 'r.created_at', type: 'timestamptz', sentinel: "'epoch'::timestamptz" },
  startedAt: { expr: 'r.started_at', type: 'timestamptz', sentinel: "'epoch'::timestamptz" },
  endedAt: { expr: 'r.ended_at', type: 'timestamptz', sentinel: "'epoch'::timestamptz" },
  name: { expr: 'r.name COLLATE "C"', type: 'text', sentinel: "''" },
  status: { expr: 'r.status::text COLLATE "C"', type: 'text', sentinel: "''" },
  backbone: { expr: 'r.backbone COLLATE "C"', type: 'text', sentinel: "''" },
  imageSize: { expr: 'r.image_size', type: 'int', sentinel: '0' },
  seed: { expr: 'r.seed', type: 'int', sentinel: '0' },
  durationMs: { expr: 'r.duration_ms', type: 'int', sentinel: '0' },
};

interface Row {
  id: string;
  name: string;
  status: RunStatus;
  backbone: string;
  tasks: string[];
  image_size: number;
  seed: number;
  fold: number | null;
  project_id: string;
  sweep_id: string | null;
  sweep_name: string | null;
  group_key: string | null;
  dataset_version_id: string | null;
  dataset_name: string | null;
  content_hash: string | null;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  heartbeat_at: Date | null;
  duration_ms: number | null;
  host: string | null;
  tfjs_backend: string | null;
  attempt: number;
  sort_null: boolean;
  sort_value: unknown;
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function checkQuery(query: RunQuery): { limit: number; sort: RunSort; metrics: string[] } {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUN_PAGE) {
    throw new TrackingInputError(`limit: ${limit} must be an integer from 1 to ${MAX_RUN_PAGE}`);
  }
  const metrics = [...new Set(query.metrics ?? [])];
  if (metrics.length > MAX_METRIC_COLUMNS) throw new TrackingInputError(`metrics: ${metrics.length} series asked for; at most ${MAX_METRIC_COLUMNS}`);
  for (const id of [query.projectId, query.sweepId, query.datasetVersionId]) if (id !== undefined) checkRunId(id, 'filter id');
  const sort = query.sort ?? { column: 'createdAt', direction: 'desc' };
  if ('column' in sort && !RUN_SORT_COLUMNS.includes(sort.column)) {
    throw new TrackingInputError(`sort: '${String(sort.column)}' is not one of ${RUN_SORT_COLUMNS.join(', ')} (or a metric)`);
  }
  return { limit, sort, metrics };
}

function whereClause(query: RunQuery, params: Params): string[] {
  const where: string[] = [];
  if (query.projectId) where.push(`r.project_id = ${params.add(query.projectId)}::uuid`);
  if (query.sweepId) where.push(`r.sweep_id = ${params.add(query.sweepId)}::uuid`);
  if (query.datasetVersionId) where.push(`r.dataset_version_id = ${params.add(query.datasetVersionId)}::uuid`);
  if (query.statuses?.length) where.push(`r.status = ANY(${params.add([...query.statuses])}::"RunStatus"[])`);
  if (query.backbones?.length) where.push(`r.backbone = ANY(${params.add([...query.backbones])}::text[])`);
  if (query.tasks?.length) {
    const tasks = params.add([...query.tasks]);
    where.push(`r.tasks @> ${tasks}::text[] AND r.tasks <@ ${tasks}::text[]`);
  }
  if (query.tag) {
    const value = query.tag.value === undefined ? '' : ` AND t.value = ${params.add(query.tag.value)}`;
    where.push(`EXISTS (SELECT 1 FROM tag t WHERE t.run_id = r.id AND t.key = ${params.add(query.tag.key)}${value})`);
  }
  if (query.text?.trim()) {
    const escaped = query.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(`r.name ILIKE ${params.add(`%${escaped}%`)} ESCAPE '\\'`);
  }
  return where;
}

export async function queryRuns(db: pg.Pool, query: RunQuery = {}): Promise<RunPage> {
  const { limit, sort, metrics } = checkQuery(query);
  const params = new Params();
  const where = whereClause(query, params);
  const filterParams = params.values.length;

  const sortName = 'column' in sort ? `${sort.column}:${sort.direction}` : `metric:${sort.metric}:${sort.direction}`;
  let join = '';
  let spec: ColumnSpec;
  if ('column' in sort) {
    spec = COLUMNS[sort.column];
  } else {
    join = `LEFT JOIN latest_metric lm ON lm.run_id = r.id AND lm.key = ${params.add(sort.metric)}`;
    spec = { expr: 'lm.value', type: 'float8', sentinel: "'0'::float8" };
  }
  const pageWhere = [...where];
  if (query.cursor) {
    const at = decodeCursor(query.cursor, sortName);
    checkRunId(at.id, 'cursor');
    const id = params.add(at.id);
    if (at.value === null) {
      pageWhere.push(`(${spec.expr} IS NULL AND r.id > ${id}::uuid)`);
    } else {
      const value = `${params.add(at.value)}::${spec.type}`;
      const op = sort.direction === 'asc' ? '>' : '<';
      pageWhere.push(`(${spec.expr} IS NULL OR (${spec.expr} ${op} ${value} OR (${spec.expr} = ${value} AND r.id > ${id}::uuid)))`);
    }
  }
  const whereSql = (parts: string[]) => (parts.length ? `WHERE ${parts.join(' AND ')}` : '');
  const sql = `
    SELECT r.id, r.name, r.status, r.backbone, r.tasks, r.image_size, r.seed, r.fold, r.project_id, r.sweep_id, s.name AS sweep_name,
           r.group_key, r.dataset_version_id, d.name AS dataset_name, dv.content_hash, r.created_at, r.started_at, r.ended_at,
           r.heartbeat_at, r.duration_ms, r.host, r.tfjs_backend, r.attempt,
           (${spec.expr} IS NULL) AS sort_null, COALESCE(${spec.expr}, ${spec.sentinel}) AS sort_value
      FROM run r
      LEFT JOIN sweep s ON s.id = r.sweep_id
      LEFT JOIN dataset_version dv ON dv.id = r.dataset_version_id
      LEFT JOIN dataset d ON d.id = dv.dataset_id
      ${join}
      ${whereSql(pageWhere)}
     ORDER BY sort_null ASC, sort_value ${sort.direction === 'asc' ? 'ASC' : 'DESC'}, r.id ASC
     LIMIT ${limit + 1}`;
  const [page, count] = await Promise.all([
    db.query<Row>(sql, params.values),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM run r ${whereSql(where)}`, params.values.slice(0, filterParams)),
  ]);
  const rows = page.rows.slice(0, limit);
  const last = rows.at(-1);
  const nextCursor =
    page.rows.length > limit && last
      ? encodeCursor({ sort: sortName, value: last.sort_null ? null : cursorText(last.sort_value), id: last.id })
      : null;
  const ids = rows.map((r) => r.id);
  const [latest, tags] = await Promise.all([
    metrics.length && ids.length
      ? db.query<{ run_id: string; key: string; step: number; value: number }>(
          'SELECT run_id, key, step, value FROM latest_metric WHERE run_id = ANY($1::uuid[]) AND key = ANY($2::text[])',
          [ids, metrics],
        )
      : { rows: [] },
    ids.length
      ? db.query<{ run_id: string; key: string; value: string }>('SELECT run_id, key, value FROM tag WHERE run_id = ANY($1::uuid[]) ORDER BY key COLLATE "C"', [ids])
      : { rows: [] },
  ]);
  const items = rows.map((r) => toItem(r));
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const m of latest.rows) (byId.get(m.run_id) as RunListItem).metrics[m.key] = { value: m.value, step: m.step };
  for (const t of tags.rows) (byId.get(t.run_id) as RunListItem).tags[t.key] = t.value;
  return { items, nextCursor, total: count.rows[0]?.n ?? 0 };
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

function toItem(r: Row): RunListItem {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    backbone: r.backbone,
    tasks: r.tasks,
    imageSize: r.image_size,
    seed: r.seed,
    fold: r.fold,
    projectId: r.project_id,
    sweepId: r.sweep_id,
    sweepName: r.sweep_name,
    groupKey: r.group_key,
    datasetVersionId: r.dataset_version_id,
    datasetName: r.dataset_name,
    datasetVersion: r.content_hash?.slice(0, 12) ?? null,
    createdAt: r.created_at.getTime(),
    startedAt: ms(r.started_at),
    endedAt: ms(r.ended_at),
    heartbeatAt: ms(r.heartbeat_at),
    durationMs: r.duration_ms,
    host: r.host,
    tfjsBackend: r.tfjs_backend,
    attempt: r.attempt,
    tags: {},
    metrics: {},
  };
}
