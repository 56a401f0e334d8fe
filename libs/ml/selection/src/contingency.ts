// The parameter × malignancy counts table every association statistic starts from: one row per
// class code of the parameter (in the task's code order), two columns (benign, malignant). Cases
// whose parameter label (or malignancy) is missing are left out of the table and counted.
import { CLINICAL_PARAMETERS, TASKS, type ClinicalParameter } from '@ovus/domain';
import { SelectionInputError } from './errors';

export interface ContingencyTable {
  readonly parameter: ClinicalParameter;
  /** Class codes of the rows, e.g. echogenicity [0, 1, 3, 4]. */
  readonly codes: readonly number[];
  /** counts[row][0] = benign, counts[row][1] = malignant. */
  readonly counts: readonly (readonly [number, number])[];
  /** Cases left out because the parameter (or malignancy) was not labelled. */
  readonly missing: number;
}

/** One labelled case: each parameter's code, or null when it was not labelled. */
export interface LabelledCase {
  readonly labels: Readonly<Partial<Record<ClinicalParameter, number | null>>>;
  readonly malignancy: number | null;
}

/** The seven tables from case labels. An unknown code is an error naming the case and parameter. */
export function tablesFromCases(cases: readonly LabelledCase[]): ContingencyTable[] {
  return CLINICAL_PARAMETERS.map((parameter) => {
    const codes = TASKS[parameter].codes;
    const counts = codes.map(() => [0, 0] as [number, number]);
    let missing = 0;
    cases.forEach((c, i) => {
      const code = c.labels[parameter];
      if (code === null || code === undefined || c.malignancy === null) {
        missing++;
        return;
      }
      const row = codes.indexOf(code);
      if (row < 0) throw new SelectionInputError(`case ${i + 1}: ${parameter} = ${code} is not one of its codes (${codes.join(', ')}).`);
      if (c.malignancy !== 0 && c.malignancy !== 1) {
        throw new SelectionInputError(`case ${i + 1}: malignancy = ${c.malignancy}; expected 0 (benign) or 1 (malignant).`);
      }
      counts[row][c.malignancy]++;
    });
    return { parameter, codes, counts, missing };
  });
}

/** Table from published counts: per code, how many benign and malignant cases carry it. */
export function tableFromCounts(
  parameter: ClinicalParameter,
  benign: Readonly<Record<number, number>>,
  malignant: Readonly<Record<number, number>>,
  missing = 0,
): ContingencyTable {
  const codes = TASKS[parameter].codes;
  const counts = codes.map((code) => {
    const pair: [number, number] = [benign[code] ?? 0, malignant[code] ?? 0];
    for (const value of pair) {
      if (!Number.isInteger(value) || value < 0) {
        throw new SelectionInputError(`${parameter} code ${code}: count ${value} must be a non-negative integer.`);
      }
    }
    return pair;
  });
  return { parameter, codes, counts, missing };
}

export function tableTotal(table: Pick<ContingencyTable, 'counts'>): number {
  return table.counts.reduce((sum, [b, m]) => sum + b + m, 0);
}
