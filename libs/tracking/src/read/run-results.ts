// A run's final results as its page and compare view read them: every ROC curve at once, and task
// results, latest metrics, params and predictions of several runs in one statement each.
import { toTaskResult, type TaskResultRow } from '../store/task-result-row';
import type pg from 'pg';
import type { CasePredictionInput, DataSplit, MetricPoint, TaskResultRecord } from '../types';
import { parseProbabilities } from '../store/prediction-rows';
import { checkRunId } from '../validation';

export interface RocCurveRecord {
  task: string;
  split: DataSplit;
  classCode: number;
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

export async function listRocCurves(db: pg.Pool, runId: string): Promise<RocCurveRecord[]> {
  checkRunId(runId);
  const { rows } = await db.query<{ task: string; split: DataSplit; class_code: number; fpr: number[]; tpr: number[]; thresholds: number[] }>(
    `SELECT task, split, class_code, array_agg(fpr ORDER BY idx) AS fpr, array_agg(tpr ORDER BY idx) AS tpr, array_agg(threshold ORDER BY idx) AS thresholds
       FROM roc_point WHERE run_id = $1 GROUP BY task, split, class_code ORDER BY task COLLATE "C", split, class_code`,
    [runId],
  );
  return rows.map((r) => ({ task: r.task, split: r.split, classCode: r.class_code, fpr: r.fpr, tpr: r.tpr, thresholds: r.thresholds }));
}

const checkIds = (runIds: readonly string[]) => runIds.forEach((id) => checkRunId(id, 'runIds'));

export async function taskResultsOf(db: pg.Pool, runIds: readonly string[]): Promise<Map<string, TaskResultRecord[]>> {
  checkIds(runIds);
  const { rows } = await db.query<TaskResultRowWithRun>(
    'SELECT * FROM task_result WHERE run_id = ANY($1::uuid[]) ORDER BY task COLLATE "C", split, averaging',
    [[...runIds]],
  );
  const out = new Map<string, TaskResultRecord[]>(runIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.run_id)?.push(toTaskResult(r));
  return out;
}

async function keyValuesOf(db: pg.Pool, table: 'param' | 'tag', runIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
  checkIds(runIds);
  const { rows } = await db.query<{ run_id: string; key: string; value: string }>(
    `SELECT run_id, key, value FROM ${table} WHERE run_id = ANY($1::uuid[]) ORDER BY key COLLATE "C"`,
    [[...runIds]],
  );
  const out = new Map<string, Record<string, string>>(runIds.map((id) => [id, {}]));
  for (const r of rows) (out.get(r.run_id) as Record<string, string>)[r.key] = r.value;
  return out;
}

/** Params of several runs in one query (a run without any: {}). */
export function paramsOf(db: pg.Pool, runIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
  return keyValuesOf(db, 'param', runIds);
}

/** Tags of several runs in one query (a run without any: {}). */
export function tagsOf(db: pg.Pool, runIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
  return keyValuesOf(db, 'tag', runIds);
}

/** Artifact paths of several runs in one query, sorted as `artifacts.list` sorts them. */
export async function artifactPathsOf(db: pg.Pool, runIds: readonly string[]): Promise<Map<string, string[]>> {
  checkIds(runIds);
  const { rows } = await db.query<{ run_id: string; path: string }>('SELECT run_id, path FROM artifact WHERE run_id = ANY($1::uuid[]) ORDER BY path COLLATE "C"', [[...runIds]]);
  const out = new Map<string, string[]>(runIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.run_id)?.push(r.path);
  return out;
}

export async function latestMetricsOf(db: pg.Pool, runIds: readonly string[]): Promise<Map<string, MetricPoint[]>> {
  checkIds(runIds);
  const { rows } = await db.query<{ run_id: string; key: string; step: number; value: number; timestamp: Date }>(
    'SELECT run_id, key, step, value, "timestamp" FROM latest_metric WHERE run_id = ANY($1::uuid[]) ORDER BY key COLLATE "C"',
    [[...runIds]],
  );
  const out = new Map<string, MetricPoint[]>(runIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.run_id)?.push({ key: r.key, step: r.step, value: r.value, timestamp: r.timestamp.getTime() });
  return out;
}

// Cases are sorted here rather than by an ORDER BY in the aggregate, which doubled the query's
// time. UTF-16 code-unit order is PostgreSQL's "C" (code point) order except for characters past
// U+FFFF against U+E000–U+FFFF, which case ids do not mix.
const byCaseId = (a: CasePredictionInput, b: CasePredictionInput) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/**
 * One split and task of several runs; runs that logged none map to []. A backbone table reads every
 * test prediction of a sweep (100 runs × 52 cases): node-postgres spent ~40 ms turning 5,000 rows
 * into objects on this machine, so each run's cases come as one text row — case id, label,
 * predicted class and probabilities, tab-separated per case, a newline between cases — and are
 * split here (a tab or newline inside a case id is written as a space).
 */
export async function predictionsOf(db: pg.Pool, runIds: readonly string[], split: DataSplit, task: string): Promise<Map<string, CasePredictionInput[]>> {
  checkIds(runIds);
  const { rows } = await db.query<{ run_id: string; cases: string }>(
    `SELECT run_id, string_agg(
              replace(replace(case_id, E'\t', ' '), E'\n', ' ') || E'\t' || coalesce(label::text, '') || E'\t' || predicted::text || E'\t' || probabilities::text,
              E'\n') AS cases
       FROM run_prediction
      WHERE run_id = ANY($1::uuid[]) AND split = $2 AND task = $3
      GROUP BY run_id`,
    [[...runIds], split, task],
  );
  const out = new Map<string, CasePredictionInput[]>(runIds.map((id) => [id, []]));
  for (const r of rows) {
    const list = out.get(r.run_id) as CasePredictionInput[];
    for (const line of r.cases.split('\n')) {
      const [caseId, label, predicted, probabilities] = line.split('\t') as [string, string, string, string];
      list.push({ split, task, caseId, label: label === '' ? null : Number(label), predicted: Number(predicted), probabilities: parseProbabilities(probabilities) });
    }
    list.sort(byCaseId);
  }
  return out;
}

type TaskResultRowWithRun = TaskResultRow & { run_id: string };

export interface RunBrief {
  id: string;
  name: string;
  status: string;
  backbone: string;
  seed: number;
  fold: number | null;
  groupKey: string | null;
  config: unknown;
}

/** Name, seed, fold and config of several runs in one statement (in no particular order). */
export async function briefsOf(db: pg.Pool, runIds: readonly string[]): Promise<RunBrief[]> {
  checkIds(runIds);
  const { rows } = await db.query<{ id: string; name: string; status: string; backbone: string; seed: number; fold: number | null; group_key: string | null; config: unknown }>(
    'SELECT id, name, status::text AS status, backbone, seed, fold, group_key, config FROM run WHERE id = ANY($1::uuid[])',
    [[...runIds]],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, backbone: r.backbone, seed: r.seed, fold: r.fold, groupKey: r.group_key, config: r.config }));
}
