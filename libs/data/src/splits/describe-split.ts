// What is in each part of a split: case and patient counts and every task's class counts, and a
// check that a (stored) split fits a dataset.
import { CLINICAL_PARAMETERS, TASK_NAMES, TASKS, type TaskName } from '@ovus/domain';
import type { CaseRecord, SplitAssignment, SplitPart } from '../types';

export const SPLIT_PARTS: readonly SplitPart[] = ['train', 'validation', 'test'];

export interface PartDescription {
  cases: number;
  patients: number;
  /** Per task, count of each class code (as a string) and of missing labels. */
  tasks: Record<TaskName, { counts: Record<string, number>; missing: number }>;
}

function caseIndex(cases: readonly CaseRecord[]): Map<string, CaseRecord> {
  return new Map(cases.map((c) => [c.caseId, c]));
}

/** The cases of one part, in the split's (sorted) order. Throws on an id the dataset lacks. */
export function casesOfPart(split: SplitAssignment, cases: readonly CaseRecord[], part: SplitPart): CaseRecord[] {
  const index = caseIndex(cases);
  return split.parts[part].map((id) => {
    const record = index.get(id);
    if (!record) throw new RangeError(`Split ${split.hash.slice(0, 12)} names case '${id}', which this dataset does not have.`);
    return record;
  });
}

export function describeSplit(split: SplitAssignment, cases: readonly CaseRecord[]): Record<SplitPart, PartDescription> {
  const describe = (part: SplitPart): PartDescription => {
    const records = casesOfPart(split, cases, part);
    const tasks = Object.fromEntries(
      TASK_NAMES.map((t) => [t, { counts: Object.fromEntries(TASKS[t].codes.map((c) => [String(c), 0])), missing: 0 }]),
    ) as PartDescription['tasks'];
    for (const r of records) {
      tasks.malignancy.counts[String(r.malignancy)]++;
      for (const p of CLINICAL_PARAMETERS) {
        const code = r.labels[p];
        if (code === null) tasks[p].missing++;
        else tasks[p].counts[String(code)]++;
      }
    }
    return { cases: records.length, patients: new Set(records.map((r) => r.patientId)).size, tasks };
  };
  return { train: describe('train'), validation: describe('validation'), test: describe('test') };
}

/**
 * Problems that make a split unusable with a dataset: unknown case ids, a case in two parts, a
 * patient in two parts, cases the split leaves out. Empty when the split fits.
 */
export function checkSplit(split: SplitAssignment, cases: readonly Pick<CaseRecord, 'caseId' | 'patientId'>[]): string[] {
  const problems: string[] = [];
  const patientOf = new Map(cases.map((c) => [c.caseId, c.patientId]));
  const partOfCase = new Map<string, SplitPart>();
  const partsOfPatient = new Map<string, Set<SplitPart>>();
  for (const part of SPLIT_PARTS) {
    for (const id of split.parts[part]) {
      const patient = patientOf.get(id);
      if (patient === undefined) {
        problems.push(`case '${id}' (${part}) is not in the dataset`);
        continue;
      }
      const earlier = partOfCase.get(id);
      if (earlier) problems.push(`case '${id}' is in both ${earlier} and ${part}`);
      partOfCase.set(id, part);
      partsOfPatient.set(patient, (partsOfPatient.get(patient) ?? new Set()).add(part));
    }
  }
  for (const [patient, parts] of partsOfPatient) {
    if (parts.size > 1) problems.push(`patient '${patient}' is in ${[...parts].join(' and ')}`);
  }
  const unassigned = cases.filter((c) => !partOfCase.has(c.caseId)).length;
  if (unassigned > 0) problems.push(`${unassigned} case(s) of the dataset are in no part`);
  return problems;
}
