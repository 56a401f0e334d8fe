import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PAPER_LABEL_COUNTS, CLINICAL_PARAMETERS } from '@ovus/domain';
import { CountsFileError, parseCountsTable } from '../src';

const shipped = fileURLToPath(new URL('../../../configs/paper-dataset-counts.csv', import.meta.url));
const HEADER = 'parameter,benign_0,benign_1,benign_3,benign_4,malignant_0,malignant_1,malignant_3,malignant_4,missing';

function problemsOf(text: string): string {
  try {
    parseCountsTable(text, 'x.csv');
  } catch (error) {
    if (error instanceof CountsFileError) return error.message;
    throw error;
  }
  throw new Error('expected a CountsFileError');
}

describe('counts table files', () => {
  it("the shipped file holds exactly the paper's dataset table", async () => {
    const stats = parseCountsTable(await readFile(shipped, 'utf8'));
    for (const p of CLINICAL_PARAMETERS) {
      const expected = (counts: Record<number, number>) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v]));
      expect(stats.parameters[p].benign).toEqual(expected(PAPER_LABEL_COUNTS[p].benign));
      expect(stats.parameters[p].malignant).toEqual(expected(PAPER_LABEL_COUNTS[p].malignant));
    }
    expect(stats.classCounts).toEqual({ benign: 174, malignant: 83 });
  });

  it('accepts task names, an optional missing column, and comments', () => {
    const stats = parseCountsTable(`# note\n${HEADER.replace(',missing', '')}\nsolid,5,2,-,-,1,4,-,-\n`);
    expect(stats.parameters.solid).toEqual({ benign: { 0: 5, 1: 2 }, malignant: { 0: 1, 1: 4 }, missing: 0 });
  });

  it('names the line and column of every problem', () => {
    const message = problemsOf(
      [HEADER, 'Blood flow signal,110,x,-,-,6,77,-,-,0', 'Boundry,1,2,-,-,3,4,-,-,0', 'septation,1,2,3,-,3,4,-,-,0', 'Internal echogenicity,1,2,-,4,1,1,1,1,0', 'septation,1,1,-,-,1,1,-,-,0'].join('\n'),
    );
    expect(message).toMatch(/line 2, column 'benign_1': 'x' is not a count/);
    expect(message).toMatch(/line 3, column 'parameter': 'Boundry' is not a clinical parameter/);
    expect(message).toMatch(/line 4, column 'benign_3': septation has no code 3/);
    expect(message).toMatch(/line 5, column 'benign_3': echogenicity has code 3 \(Isoechoic\): give its count/);
    expect(message).toMatch(/line 6, column 'parameter': septation already has a row \(line 4\)/);
  });

  it('refuses a header without the count columns, and a short row', () => {
    expect(problemsOf('parameter,benign,malignant\nsolid,1,2\n')).toMatch(/the header has no 'benign_0' column/);
    expect(problemsOf(`${HEADER}\nsolid,1,2\n`)).toMatch(/line 2: has 3 fields, the header 10/);
    expect(problemsOf(`${HEADER}\n`)).toMatch(/no parameter rows/);
  });
});
