// Problems across rows: duplicate ids, the two images of a pair, shared image bytes, patients.
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateDataset, type DatasetIssue } from '../src/index';
import { makeTempDir, validRow, writeCaseImages, writeCsvManifest, writePng, type ManifestRowInput } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function validate(rows: ManifestRowInput[]) {
  await writeCsvManifest(join(dir, 'm.csv'), rows);
  return validateDataset(join(dir, 'm.csv'));
}

async function issuesOf(rows: ManifestRowInput[]): Promise<DatasetIssue[]> {
  const result = await validate(rows);
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues;
}

describe('cross-row consistency', () => {
  it('reports a duplicate case id naming both rows', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    const issues = await issuesOf([validRow(1), validRow(2), validRow(3, { case_id: 'c1' })]);
    expect(issues).toEqual([expect.objectContaining({ code: 'duplicate-case-id', row: 4, column: 'case_id', value: 'c1' })]);
    expect(issues[0].message).toBe("Case id 'c1' is used by row 2 and row 4.");
  });

  it('refuses the same file, or byte-identical files, as BMUS and CEUS', async () => {
    for (const n of [1, 2]) await writeCaseImages(dir, n);
    await copyFile(join(dir, 'images/c2_bmus.png'), join(dir, 'images/c2_copy.png'));
    const issues = await issuesOf([
      validRow(1, { ceus_path: 'images/c1_bmus.png' }),
      validRow(2, { ceus_path: 'images/c2_copy.png' }),
    ]);
    expect(issues.map((i) => [i.row, i.code, i.column])).toEqual([
      [2, 'pair-same-image', 'ceus_path'],
      [3, 'pair-same-image', 'ceus_path'],
    ]);
    expect(issues[0].message).toContain('name the same file');
    expect(issues[1].message).toContain('byte-identical');
  });

  it('warns (does not fail) when the two images of a pair differ in size', async () => {
    await writePng(join(dir, 'images/c1_bmus.png'), { width: 64, height: 48, variant: 1 });
    await writePng(join(dir, 'images/c1_ceus.png'), { width: 60, height: 48, variant: 2 });
    const result = await validate([validRow(1)]);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'pair-size-mismatch', row: 2, severity: 'warning' })]);
    expect(result.warnings[0].message).toBe('BMUS is 64x48 but CEUS is 60x48.');
  });

  it('refuses the same image under two cases with different labels or different patients', async () => {
    for (const n of [1, 2, 3, 4]) await writeCaseImages(dir, n);
    await copyFile(join(dir, 'images/c1_bmus.png'), join(dir, 'images/c2_bmus.png'));
    await copyFile(join(dir, 'images/c3_ceus.png'), join(dir, 'images/c4_ceus.png'));
    const issues = await issuesOf([
      validRow(1, { patient_id: 'same', malignancy: 0 }),
      validRow(2, { patient_id: 'same', malignancy: 0, septation: 1 }),
      validRow(3, { malignancy: 1 }),
      validRow(4, { malignancy: 1 }),
    ]);
    expect(issues.map((i) => [i.row, i.code, i.column, i.severity])).toEqual([
      [3, 'duplicate-image', 'bmus_path', 'error'],
      [5, 'duplicate-image', 'ceus_path', 'error'],
    ]);
    expect(issues[0].message).toBe("The same image bytes are also used by row 2 (case 'c1', bmus_path), with different labels.");
    expect(issues[1].message).toContain("different patients ('p3' and 'p4')");
  });

  it('only warns about the same image twice for one patient with the same labels', async () => {
    for (const n of [1, 2]) await writeCaseImages(dir, n);
    await copyFile(join(dir, 'images/c1_ceus.png'), join(dir, 'images/c2_ceus.png'));
    const result = await validate([validRow(1, { patient_id: 'x', malignancy: 1 }), validRow(2, { patient_id: 'x', malignancy: 1 })]);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.warnings.map((w) => [w.row, w.code])).toEqual([[3, 'duplicate-image']]);
  });

  it('refuses a patient whose cases disagree on malignancy, on every row of that patient', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    const issues = await issuesOf([
      validRow(1, { patient_id: 'anna', malignancy: 0 }),
      validRow(2, { patient_id: 'ben', malignancy: 1 }),
      validRow(3, { patient_id: 'anna', malignancy: 'malignant' }),
    ]);
    expect(issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'patient-malignancy-conflict'],
      [4, 'patient-malignancy-conflict'],
    ]);
    expect(issues[0].message).toBe("Patient 'anna' has benign cases (row 2) and malignant cases (row 4).");
    expect(issues[0].expected).toContain('pathology report');
  });
});
