// A run_prediction row as pg returns it, and as the store hands it out. Probabilities are read as
// the array's text and split here: node-postgres' float8[] parser took ~80 ms for 5,000 rows,
// splitting the text ~5 ms (a backbone table reads every run's test predictions).
import type { CasePredictionInput, DataSplit } from '../types';

/** Select list piece: the probabilities as text ('{0.25,0.75}'). */
export const PROBABILITIES_AS_TEXT = 'probabilities::text AS probabilities';

export interface PredictionRow {
  split: DataSplit;
  task: string;
  case_id: string;
  label: number | null;
  predicted: number;
  probabilities: string;
}

export function parseProbabilities(text: string): number[] {
  const inner = text.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map(Number); // Number('NaN') is NaN, as stored
}

export function toCasePrediction(row: PredictionRow): CasePredictionInput {
  return { split: row.split, task: row.task, caseId: row.case_id, label: row.label, predicted: row.predicted, probabilities: parseProbabilities(row.probabilities) };
}
