// The runs table's filter menus: the distinct values of each filterable field over all runs (of a
// project, when given), each with how many runs have it — so a menu offers what exists, not what
// the newest page of runs happened to hold. One statement per facet, all on indexed columns; the
// long lists (tags, series) are capped and say so.
import type pg from 'pg';
import type { RunStatus } from '../types';
import { checkRunId } from '../validation';

export const MAX_FACET_VALUES = 200;

export interface FacetCount<T = string> {
  value: T;
  count: number;
}

export interface RunFacets {
  total: number;
  statuses: FacetCount<RunStatus>[];
  backbones: FacetCount[];
  /** Task sets as the runs filter takes them: the run's tasks, sorted, comma-joined. */
  taskSets: FacetCount[];
  datasetVersions: (FacetCount & { datasetName: string; version: string })[];
  sweeps: (FacetCount & { name: string })[];
  tags: (FacetCount & { key: string; tagValue: string })[];
  /** Series that runs have a latest value of (the table's metric columns), final scores included. */
  metricKeys: FacetCount[];
  /** Set for each list cut at MAX_FACET_VALUES (most frequent kept). */
  truncated: ('tags' | 'metricKeys')[];
}

export async function runFacets(db: pg.Pool, options: { projectId?: string } = {}): Promise<RunFacets> {
  if (options.projectId !== undefined) checkRunId(options.projectId, 'projectId');
  const params = [options.projectId ?? null];
  const scope = 'r.project_id = $1::uuid OR $1::uuid IS NULL';
  const cap = MAX_FACET_VALUES + 1;
  const [total, statuses, backbones, taskSets, versions, sweeps, tags, keys] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM run r WHERE ${scope}`, params),
    db.query<{ value: RunStatus; count: number }>(`SELECT r.status::text AS value, count(*)::int AS count FROM run r WHERE ${scope} GROUP BY 1 ORDER BY 1`, params),
    db.query<{ value: string; count: number }>(`SELECT r.backbone AS value, count(*)::int AS count FROM run r WHERE ${scope} GROUP BY 1 ORDER BY r.backbone COLLATE "C"`, params),
    db.query<{ value: string; count: number }>(
      `SELECT value, count(*)::int AS count
         FROM (SELECT array_to_string(ARRAY(SELECT unnest(r.tasks) ORDER BY 1), ',') AS value FROM run r WHERE ${scope}) AS sets
        GROUP BY value ORDER BY value COLLATE "C"`,
      params,
    ),
    db.query<{ value: string; count: number; dataset_name: string; content_hash: string }>(
      `SELECT v.id::text AS value, count(*)::int AS count, d.name AS dataset_name, v.content_hash
         FROM run r JOIN dataset_version v ON v.id = r.dataset_version_id JOIN dataset d ON d.id = v.dataset_id
        WHERE ${scope} GROUP BY v.id, d.name, v.content_hash, v.created_at ORDER BY d.name COLLATE "C", v.created_at DESC`,
      params,
    ),
    db.query<{ value: string; count: number; name: string }>(
      `SELECT s.id::text AS value, count(*)::int AS count, s.name
         FROM run r JOIN sweep s ON s.id = r.sweep_id WHERE ${scope} GROUP BY s.id, s.name, s.created_at ORDER BY s.created_at DESC, s.id`,
      params,
    ),
    db.query<{ key: string; tag_value: string; count: number }>(
      `SELECT t.key, t.value AS tag_value, count(*)::int AS count FROM tag t JOIN run r ON r.id = t.run_id
        WHERE (${scope}) AND length(t.value) <= 200 GROUP BY 1, 2 ORDER BY count(*) DESC, t.key COLLATE "C", t.value COLLATE "C" LIMIT ${cap}`,
      params,
    ),
    db.query<{ value: string; count: number }>(
      `SELECT m.key AS value, count(*)::int AS count FROM latest_metric m JOIN run r ON r.id = m.run_id
        WHERE ${scope} GROUP BY 1 ORDER BY count(*) DESC, m.key COLLATE "C" LIMIT ${cap}`,
      params,
    ),
  ]);
  const truncated: RunFacets['truncated'] = [];
  if (tags.rows.length > MAX_FACET_VALUES) truncated.push('tags');
  if (keys.rows.length > MAX_FACET_VALUES) truncated.push('metricKeys');
  return {
    total: total.rows[0]?.n ?? 0,
    statuses: statuses.rows,
    backbones: backbones.rows,
    taskSets: taskSets.rows,
    datasetVersions: versions.rows.map((v) => ({ value: v.value, count: v.count, datasetName: v.dataset_name, version: v.content_hash.slice(0, 12) })),
    sweeps: sweeps.rows,
    tags: tags.rows
      .slice(0, MAX_FACET_VALUES)
      .map((t) => ({ value: `${t.key}=${t.tag_value}`, key: t.key, tagValue: t.tag_value, count: t.count }))
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
    metricKeys: keys.rows.slice(0, MAX_FACET_VALUES).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
    truncated,
  };
}
