// Which epoch is best, read from the validation summary: the early-stopping metric (or the
// validation loss), lower-is-better for losses and higher-is-better for scores.
import { isTaskName, TASK_NAMES } from '@ovus/domain';
import type { TaskValidation, ValidationSummary } from './evaluation';

export interface SelectionMetric {
  name: string;
  /** Reads the metric's value from a validation summary (NaN when it cannot be computed). */
  read(summary: ValidationSummary): number;
  lowerIsBetter: boolean;
}

const TASK_FIELDS: Record<string, keyof TaskValidation> = { loss: 'loss', accuracy: 'accuracy', f1: 'f1', auc: 'auc' };

export function parseSelectionMetric(name: string): SelectionMetric {
  if (name === 'loss') return { name, read: (s) => s.loss, lowerIsBetter: true };
  if (name === 'mean.accuracy') return { name, read: (s) => s.meanAccuracy, lowerIsBetter: false };
  if (name === 'mean.f1') return { name, read: (s) => s.meanF1, lowerIsBetter: false };
  const [task, field, ...rest] = name.split('.');
  const key = TASK_FIELDS[field ?? ''];
  if (rest.length > 0 || !isTaskName(task) || key === undefined) {
    throw new RangeError(
      `Unknown selection metric '${name}': use loss, mean.accuracy, mean.f1, or <task>.loss|accuracy|f1|auc with a task among ${TASK_NAMES.join(', ')}.`,
    );
  }
  return { name, read: (s) => s.perTask[task]?.[key] ?? Number.NaN, lowerIsBetter: key === 'loss' };
}

/** True when `candidate` beats `best` (a NaN never beats anything; anything finite beats no best yet). */
export function isImprovement(metric: SelectionMetric, candidate: number, best: number | null): boolean {
  if (Number.isNaN(candidate)) return false;
  if (best === null || Number.isNaN(best)) return true;
  return metric.lowerIsBetter ? candidate < best : candidate > best;
}
