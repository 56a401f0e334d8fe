// The choices a score table is read under (metric, task, split, averaging), shared by the
// backbone table and the per-task results; they live in the query string like every filter.
import { TASKS, TASK_NAMES } from '@ovus/domain';
import { SCORE_METRICS, SCORE_TITLES, type FilterField, type ScoreMetric } from '@ovus/ui';
import { one, type SearchParams } from '../url';

export type Split = 'validation' | 'test';
export type Averaging = 'macro' | 'weighted' | 'binary';

export interface ScoreChoice {
  metric: ScoreMetric;
  task: string;
  split: Split;
  averaging: Averaging;
}

export function readScoreChoice(params: SearchParams): ScoreChoice {
  const metric = one(params, 'metric');
  const task = one(params, 'task');
  const split = one(params, 'split');
  const averaging = one(params, 'averaging');
  return {
    metric: (SCORE_METRICS as readonly string[]).includes(metric) ? (metric as ScoreMetric) : 'f1',
    task: (TASK_NAMES as readonly string[]).includes(task) ? task : 'malignancy',
    split: split === 'validation' ? 'validation' : 'test',
    averaging: averaging === 'weighted' || averaging === 'binary' ? averaging : 'macro',
  };
}

export function scoreFields(choice: ScoreChoice, options: { task?: boolean } = {}): FilterField[] {
  const fields: FilterField[] = [
    { kind: 'select', name: 'metric', label: 'Metric', value: choice.metric, anyLabel: 'F1 (default)', options: SCORE_METRICS.map((m) => ({ value: m, label: SCORE_TITLES[m] })) },
  ];
  if (options.task !== false) {
    fields.push({ kind: 'select', name: 'task', label: 'Task', value: choice.task, anyLabel: 'Benign/malignant (default)', options: TASK_NAMES.map((t) => ({ value: t, label: TASKS[t].title })) });
  }
  fields.push(
    { kind: 'select', name: 'split', label: 'Split', value: choice.split, anyLabel: 'test (default)', options: [{ value: 'validation', label: 'validation' }, { value: 'test', label: 'test' }] },
    { kind: 'select', name: 'averaging', label: 'Averaging', value: choice.averaging, anyLabel: 'macro (default)', options: [{ value: 'macro', label: 'macro' }, { value: 'weighted', label: 'weighted' }, { value: 'binary', label: 'binary (positive class)' }] },
  );
  return fields;
}
