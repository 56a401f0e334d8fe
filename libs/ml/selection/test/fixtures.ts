// Synthetic scored runs for the tests: each run's scores are set by hand, so every expected value
// below can be derived on paper.
import { CLINICAL_PARAMETERS, type ClinicalParameter, type TaskName } from '@ovus/domain';
import type { RunScores, TaskScore } from '../src';

export function score(f1: number, auc: number | null = 0.5 + f1 / 2, confusion: number[][] | null = null): TaskScore {
  return { f1, f1Lo: null, f1Hi: null, auc, aucLo: null, aucHi: null, confusion };
}

let counter = 0;
export function run(tasks: readonly TaskName[], malignancyF1: number, replicate: string, extra: Partial<Record<TaskName, TaskScore>> = {}, setting = 'tiny'): RunScores {
  counter++;
  return {
    runId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    backbone: setting,
    setting,
    replicate,
    tasks,
    results: { malignancy: score(malignancyF1), ...extra },
  };
}

export const ALL: TaskName[] = [...CLINICAL_PARAMETERS, 'malignancy'];
export const without = (p: ClinicalParameter): TaskName[] => ALL.filter((t) => t !== p);
