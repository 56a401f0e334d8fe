// Per-case predictions of finished runs (written through logBatch), read for paired tests.
import type pg from 'pg';
import type { PredictionFilter } from '../store/tracking-store';
import { toCasePrediction, type PredictionRow } from '../store/prediction-rows';
import type { CasePredictionInput } from '../types';
import { checkRunId } from '../validation';

/** By split, task and case id (code point order); [] for a run that logged none (e.g. one from before they were kept). */
export async function listPredictions(db: pg.Pool | pg.PoolClient, runId: string, filter: PredictionFilter = {}): Promise<CasePredictionInput[]> {
  checkRunId(runId);
  const rows = await db.query<PredictionRow>(
    `SELECT split, task, case_id, label, predicted, probabilities FROM run_prediction
      WHERE run_id = $1 AND ($2::"DataSplit" IS NULL OR split = $2) AND ($3::text IS NULL OR task = $3)
      ORDER BY split, task COLLATE "C", case_id COLLATE "C"`,
    [runId, filter.split ?? null, filter.task ?? null],
  );
  return rows.rows.map(toCasePrediction);
}
