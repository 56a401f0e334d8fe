import { describe, expect, it } from 'vitest';
import { codeToIndex, indexToCode, parseTaskList, TASK_NAMES } from './tasks';
import { PAPER_CLASS_COUNTS, PAPER_LABEL_COUNTS } from './paper';

describe('task catalogue', () => {
  it('maps echogenicity codes 0,1,3,4 to softmax indices 0..3 and back', () => {
    expect([0, 1, 3, 4].map((c) => codeToIndex('echogenicity', c))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((i) => indexToCode('echogenicity', i))).toEqual([0, 1, 3, 4]);
    expect(() => codeToIndex('echogenicity', 2)).toThrow(/valid codes are 0, 1, 3, 4/);
  });

  it('parses task lists in canonical order and names the valid tasks on a typo', () => {
    expect(parseTaskList('malignancy,blood_flow,malignancy')).toEqual(['blood_flow', 'malignancy']);
    expect(parseTaskList('all')).toEqual(TASK_NAMES);
    expect(parseTaskList('paper-selected')).toEqual(['blood_flow', 'morphology', 'septation', 'solid', 'malignancy']);
    expect(() => parseTaskList('malignancy,septum')).toThrow(/Unknown task 'septum'. Valid tasks: blood_flow/);
    expect(() => parseTaskList('')).toThrow(/empty/);
  });

  it("has label counts that add up to the paper's class sizes", () => {
    for (const counts of Object.values(PAPER_LABEL_COUNTS)) {
      const sum = (r: Record<number, number>) => Object.values(r).reduce((a, b) => a + b, 0);
      expect(sum(counts.benign)).toBe(PAPER_CLASS_COUNTS.benign);
      expect(sum(counts.malignant)).toBe(PAPER_CLASS_COUNTS.malignant);
    }
  });
});
