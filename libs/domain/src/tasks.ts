// The eight prediction tasks of the paper (Table 1): seven key clinical parameters and the
// benign/malignant classification. Class codes are the paper's; echogenicity skips code 2.

export const CLINICAL_PARAMETERS = [
  'blood_flow',
  'boundary',
  'echogenicity',
  'morphology',
  'papillary',
  'septation',
  'solid',
] as const;

export type ClinicalParameter = (typeof CLINICAL_PARAMETERS)[number];
export type TaskName = ClinicalParameter | 'malignancy';

export const TASK_NAMES: readonly TaskName[] = [...CLINICAL_PARAMETERS, 'malignancy'];

export interface TaskDefinition {
  readonly name: TaskName;
  /** How the paper and clinicians name it. */
  readonly title: string;
  /** Class codes in the order of the softmax outputs. */
  readonly codes: readonly number[];
  /** Human-readable name of each code, same order as `codes`. */
  readonly classNames: readonly string[];
  /** The code treated as "positive" for binary metrics; null for multi-class tasks. */
  readonly positiveCode: number | null;
}

export const TASKS: Readonly<Record<TaskName, TaskDefinition>> = {
  blood_flow: {
    name: 'blood_flow',
    title: 'Blood flow signal',
    codes: [0, 1],
    classNames: ['Non-exist', 'Exist'],
    positiveCode: 1,
  },
  boundary: {
    name: 'boundary',
    title: 'Boundary',
    codes: [0, 1],
    classNames: ['Clear', 'Unclear'],
    positiveCode: 1,
  },
  echogenicity: {
    name: 'echogenicity',
    title: 'Internal echogenicity',
    codes: [0, 1, 3, 4],
    classNames: ['Anechoic', 'Hypoechoic', 'Isoechoic', 'Hyperechoic'],
    positiveCode: null,
  },
  morphology: {
    name: 'morphology',
    title: 'Morphology',
    codes: [0, 1],
    classNames: ['Regular', 'Irregular'],
    positiveCode: 1,
  },
  papillary: {
    name: 'papillary',
    title: 'Papillary projection',
    codes: [0, 1],
    classNames: ['Non-exist', 'Exist'],
    positiveCode: 1,
  },
  septation: {
    name: 'septation',
    title: 'Septation',
    codes: [0, 1],
    classNames: ['Non-exist', 'Exist'],
    positiveCode: 1,
  },
  solid: {
    name: 'solid',
    title: 'Solid component',
    codes: [0, 1],
    classNames: ['Non-exist', 'Exist'],
    positiveCode: 1,
  },
  malignancy: {
    name: 'malignancy',
    title: 'Benign/malignant',
    codes: [0, 1],
    classNames: ['Benign', 'Malignant'],
    positiveCode: 1,
  },
};

/** The parameters the paper selected as key (its Table 3). */
export const PAPER_SELECTED_PARAMETERS: readonly ClinicalParameter[] = [
  'blood_flow',
  'morphology',
  'septation',
  'solid',
];

export function isTaskName(value: string): value is TaskName {
  return (TASK_NAMES as readonly string[]).includes(value);
}

/** Index of a class code in the task's softmax output; throws on a code the task does not have. */
export function codeToIndex(task: TaskName, code: number): number {
  const index = TASKS[task].codes.indexOf(code);
  if (index < 0) {
    throw new RangeError(
      `Code ${code} is not a class of task '${task}'; valid codes are ${TASKS[task].codes.join(', ')}.`,
    );
  }
  return index;
}

export function indexToCode(task: TaskName, index: number): number {
  const code = TASKS[task].codes[index];
  if (code === undefined) throw new RangeError(`Task '${task}' has no class at index ${index}.`);
  return code;
}

/**
 * Parses a user-given task list ("all", "paper-selected", or comma-separated names) and reports
 * unknown names together with the valid ones.
 */
export function parseTaskList(spec: string | readonly string[]): TaskName[] {
  const items = typeof spec === 'string' ? spec.split(',').map((s) => s.trim()).filter(Boolean) : [...spec];
  const out: TaskName[] = [];
  for (const item of items) {
    if (item === 'all') out.push(...TASK_NAMES);
    else if (item === 'paper-selected') out.push(...PAPER_SELECTED_PARAMETERS, 'malignancy');
    else if (isTaskName(item)) out.push(item);
    else {
      throw new RangeError(
        `Unknown task '${item}'. Valid tasks: ${TASK_NAMES.join(', ')} (or 'all', 'paper-selected').`,
      );
    }
  }
  if (out.length === 0) throw new RangeError('The task list is empty; name at least one task.');
  // Keep the canonical order and drop repeats so the same set always yields the same heads.
  return TASK_NAMES.filter((t) => out.includes(t));
}
