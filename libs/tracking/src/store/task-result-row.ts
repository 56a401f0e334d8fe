// How a task_result row reads back: one mapping for the store's getTaskResults and the read side's
// run results, so the two never drift.
import type { DataSplit, TaskResultInput, TaskResultRecord } from '../types';

export interface TaskResultRow {
  task: string;
  split: DataSplit;
  averaging: TaskResultInput['averaging'];
  accuracy: number; accuracy_lo: number | null; accuracy_hi: number | null;
  precision: number; precision_lo: number | null; precision_hi: number | null;
  recall: number; recall_lo: number | null; recall_hi: number | null;
  f1: number; f1_lo: number | null; f1_hi: number | null;
  auc: number | null; auc_lo: number | null; auc_hi: number | null;
  support: number;
  created_at: Date;
}

export function toTaskResult(r: TaskResultRow): TaskResultRecord {
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
