import { codeToIndex, type TaskName } from '@ovus/domain';
import type { CaseRecord } from '@ovus/data';
import { MISSING_LABEL, type PerTask } from './loss';

/** Paper codes (null/undefined = missing) → class indices for the task's softmax, MISSING_LABEL for none. */
export function encodeLabels(task: TaskName, codes: readonly (number | null | undefined)[]): Int32Array {
  return Int32Array.from(codes, (code) => (code === null || code === undefined ? MISSING_LABEL : codeToIndex(task, code)));
}

/** Label indices per task for a batch of cases, in the batch's order. */
export function labelsForCases(cases: readonly CaseRecord[], tasks: readonly TaskName[]): PerTask<Int32Array> {
  const out: PerTask<Int32Array> = {};
  for (const task of tasks) {
    out[task] = encodeLabels(
      task,
      cases.map((c) => (task === 'malignancy' ? c.malignancy : c.labels[task])),
    );
  }
  return out;
}

