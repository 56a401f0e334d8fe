// A run_prediction row as pg returns it, and as the store hands it out.
import type { CasePredictionInput, DataSplit } from '../types';

export interface PredictionRow {
  split: DataSplit;
  task: string;
  case_id: string;
  label: number | null;
  predicted: number;
  probabilities: number[];
}

export function toCasePrediction(row: PredictionRow): CasePredictionInput {
  return { split: row.split, task: row.task, caseId: row.case_id, label: row.label, predicted: row.predicted, probabilities: row.probabilities };
}
