// A sweep's table: per group of runs that differ only in seed or fold (group key, backbone), how
// many runs, and the mean and 95% t-interval over runs of each score. Aggregation runs in SQL; only
// the t critical value is computed here.
import type pg from 'pg';
import { TrackingInputError } from '../errors';
import type { Averaging, DataSplit, RunStatus } from '../types';
import { studentTCritical } from './student-t';

export interface SummarizeSweepOptions {
  task: string;
  split: DataSplit;
  averaging: Averaging;
  /** Which runs count (default only finished ones). */
  statuses?: readonly RunStatus[];
  /** Confidence level of the interval (default 0.95). */
  level?: number;
}

/** Mean over runs with its t-interval; lo/hi are null with fewer than two runs. */
export interface MeanWithCi {
  mean: number;
  sd: number | null;
  lo: number | null;
  hi: number | null;
}

export interface SweepGroupSummary {
  groupKey: string | null;
  backbone: string;
  n: number;
  accuracy: MeanWithCi;
  precision: MeanWithCi;
  recall: MeanWithCi;
  f1: MeanWithCi;
  /** Over the runs whose AUC is defined (`aucN` of them); null when none is. */
  auc: MeanWithCi | null;
  aucN: number;
  runIds: string[];
}

const SCORES = ['accuracy', 'precision', 'recall', 'f1'] as const;

interface Row {
  group_key: string | null;
  backbone: string;
  n: number;
  run_ids: string[];
  accuracy_mean: number;
  accuracy_sd: number | null;
  precision_mean: number;
  precision_sd: number | null;
  recall_mean: number;
  recall_sd: number | null;
  f1_mean: number;
  f1_sd: number | null;
  auc_n: number;
  auc_mean: number | null;
  auc_sd: number | null;
}

export async function summarizeSweep(db: pg.Pool | pg.PoolClient, sweepId: string, options: SummarizeSweepOptions): Promise<SweepGroupSummary[]> {
  const statuses = options.statuses ?? ['finished'];
  if (statuses.length === 0) throw new TrackingInputError('summarizeSweep: statuses must name at least one run status');
  const level = options.level ?? 0.95;
  const { rows } = await db.query<Row>(
    `SELECT r.group_key, r.backbone, count(*)::int AS n, array_agg(r.id::text ORDER BY r.id) AS run_ids,
            avg(t.accuracy) AS accuracy_mean, stddev_samp(t.accuracy) AS accuracy_sd,
            avg(t.precision) AS precision_mean, stddev_samp(t.precision) AS precision_sd,
            avg(t.recall) AS recall_mean, stddev_samp(t.recall) AS recall_sd,
            avg(t.f1) AS f1_mean, stddev_samp(t.f1) AS f1_sd,
            count(t.auc)::int AS auc_n, avg(t.auc) AS auc_mean, stddev_samp(t.auc) AS auc_sd
       FROM task_result t JOIN run r ON r.id = t.run_id
      WHERE r.sweep_id = $1 AND t.task = $2 AND t.split = $3::"DataSplit" AND t.averaging = $4::"Averaging"
        AND r.status = ANY($5::"RunStatus"[])
      GROUP BY r.group_key, r.backbone
      ORDER BY r.backbone COLLATE "C", r.group_key COLLATE "C" NULLS FIRST`,
    [sweepId, options.task, options.split, options.averaging, statuses],
  );
  return rows.map((row) => {
    const interval = (mean: number, sd: number | null, n = row.n): MeanWithCi => {
      const t = n >= 2 ? studentTCritical(n - 1, level) : null;
      if (t === null || sd === null) return { mean, sd, lo: null, hi: null };
      const half = (t * sd) / Math.sqrt(n);
      return { mean, sd, lo: mean - half, hi: mean + half };
    };
    const scores = Object.fromEntries(SCORES.map((s) => [s, interval(row[`${s}_mean`], row[`${s}_sd`])])) as Record<
      (typeof SCORES)[number],
      MeanWithCi
    >;
    const auc = row.auc_mean === null ? null : interval(row.auc_mean, row.auc_sd, row.auc_n);
    return { groupKey: row.group_key, backbone: row.backbone, n: row.n, runIds: row.run_ids, ...scores, auc, aucN: row.auc_n };
  });
}
