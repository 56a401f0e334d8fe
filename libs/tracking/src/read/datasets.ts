// How a run's split divides its dataset version: cases, patients and malignant cases per part.
import type pg from 'pg';
import { checkRunId } from '../validation';

export interface SplitPartComposition {
  part: 'train' | 'validation' | 'test';
  cases: number;
  patients: number;
  benign: number;
  malignant: number;
}

export interface SplitComposition {
  splitId: string;
  datasetVersionId: string;
  kind: string;
  seed: number;
  folds: number | null;
  fold: number | null;
  parts: SplitPartComposition[];
}

export async function splitComposition(db: pg.Pool, splitId: string): Promise<SplitComposition | null> {
  checkRunId(splitId, 'splitId');
  const head = await db.query<{ id: string; dataset_version_id: string; kind: string; seed: number; folds: number | null; fold: number | null }>(
    'SELECT id, dataset_version_id, kind, seed, folds, fold FROM split WHERE id = $1',
    [splitId],
  );
  const split = head.rows[0];
  if (!split) return null;
  const { rows } = await db.query<{ part: SplitPartComposition['part']; cases: number; patients: number; malignant: number }>(
    `SELECT a.part, count(*)::int AS cases, count(DISTINCT c.patient_id)::int AS patients,
            (count(*) FILTER (WHERE c.malignancy = 1))::int AS malignant
       FROM split s
      CROSS JOIN LATERAL (
        SELECT p.part, jsonb_array_elements_text(s.assignment -> p.part) AS case_id
          FROM (VALUES ('train'), ('validation'), ('test')) AS p(part)
      ) a
       JOIN "case" c ON c.dataset_version_id = s.dataset_version_id AND c.case_id = a.case_id
      WHERE s.id = $1
      GROUP BY a.part`,
    [splitId],
  );
  const order = ['train', 'validation', 'test'] as const;
  const parts = order.map((part) => {
    const r = rows.find((row) => row.part === part);
    return { part, cases: r?.cases ?? 0, patients: r?.patients ?? 0, benign: (r?.cases ?? 0) - (r?.malignant ?? 0), malignant: r?.malignant ?? 0 };
  });
  return { splitId: split.id, datasetVersionId: split.dataset_version_id, kind: split.kind, seed: split.seed, folds: split.folds, fold: split.fold, parts };
}
