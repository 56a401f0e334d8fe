// A run's final results as its page and compare view read them: every ROC curve at once, and task
// results, latest metrics, params and predictions of several runs in one statement each.
import type pg from 'pg';
import type { CasePredictionInput, DataSplit, MetricPoint, TaskResultRecord } from '../types';
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

export async function paramsOf(db: pg.Pool, runIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
  checkIds(runIds);
  const { rows } = await db.query<{ run_id: string; key: string; value: string }>(
    'SELECT run_id, key, value FROM param WHERE run_id = ANY($1::uuid[]) ORDER BY key COLLATE "C"',
    [[...runIds]],
  );
  const out = new Map<string, Record<string, string>>(runIds.map((id) => [id, {}]));
  for (const r of rows) (out.get(r.run_id) as Record<string, string>)[r.key] = r.value;
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

/** One split and task of several runs; runs that logged none map to []. */
export async function predictionsOf(db: pg.Pool, runIds: readonly string[], split: DataSplit, task: string): Promise<Map<string, CasePredictionInput[]>> {
  checkIds(runIds);
  const { rows } = await db.query<{ run_id: string; case_id: string; label: number | null; predicted: number; probabilities: number[] }>(
    `SELECT run_id, case_id, label, predicted, probabilities FROM run_prediction
      WHERE run_id = ANY($1::uuid[]) AND split = $2 AND task = $3 ORDER BY case_id COLLATE "C"`,
    [[...runIds], split, task],
  );
  const out = new Map<string, CasePredictionInput[]>(runIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.run_id)?.push({ split, task, caseId: r.case_id, label: r.label, predicted: r.predicted, probabilities: r.probabilities });
  return out;
}

interface TaskResultRowWithRun {
  run_id: string;
  task: string;
  split: DataSplit;
  averaging: TaskResultRecord['averaging'];
  accuracy: number; accuracy_lo: number | null; accuracy_hi: number | null;
  precision: number; precision_lo: number | null; precision_hi: number | null;
  recall: number; recall_lo: number | null; recall_hi: number | null;
  f1: number; f1_lo: number | null; f1_hi: number | null;
  auc: number | null; auc_lo: number | null; auc_hi: number | null;
  support: number;
  created_at: Date;
}

function toTaskResult(r: TaskResultRowWithRun): TaskResultRecord {
  return {
    task: r.task,
    split: r.split,
    averaging: r.averaging,
    accuracy: { value: r.accuracy, lo: r.accuracy_lo, hi: r.accuracy_hi },
    precision: { value: r.precision, lo: r.precision_lo, hi: r.precision_hi },
    recall: { value: r.recall, lo: r.recall_lo, hi: r.recall_hi },
    f1: { value: r.f1, lo: r.f1_lo, hi: r.f1_hi },
    auc: r.auc === null ? null : { value: r.auc, lo: r.auc_lo, hi: r.auc_hi },
    support: r.support,
    createdAt: r.created_at.getTime(),
  };
}

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
