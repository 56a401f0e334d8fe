// What import refuses or reports although every cell parses: image paths that leave the dataset
// folder, labels read only after normalising them, and messages that read the way people count.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssues, validateDataset } from '../src/index';
import { makeTempDir, validRow, writeCaseImages, writeCsvManifest, writeJsonlManifest, writePng } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

describe('image paths outside the dataset folder', () => {
  it('refuses ../ and absolute paths elsewhere, naming the row, column and path', async () => {
    const data = join(dir, 'data');
    await writeCaseImages(data, 1);
    await writeCaseImages(data, 2);
    await writePng(join(dir, 'outside.png'), { variant: 99 });
    await writeCsvManifest(join(data, 'm.csv'), [
      validRow(1, { bmus_path: '../outside.png' }),
      validRow(2, { ceus_path: join(dir, 'outside.png') }),
    ]);
    const result = await validateDataset(join(data, 'm.csv'));
    if (result.ok) throw new Error('expected the outside paths to be refused');
    expect(result.issues.map((i) => [i.row, i.code, i.column, i.value])).toEqual([
      [2, 'image-outside-root', 'bmus_path', '../outside.png'],
      [3, 'image-outside-root', 'ceus_path', join(dir, 'outside.png')],
    ]);
    expect(result.issues[0].message).toContain(join(dir, 'outside.png'));
    expect(result.issues[0].expected).toContain('--allow-outside-root');
  });

  it('accepts them with allowOutsideRoot, and accepts absolute paths inside the folder anyway', async () => {
    const data = join(dir, 'data');
    await writeCaseImages(data, 1);
    await writeCaseImages(data, 2);
    await writePng(join(dir, 'outside.png'), { variant: 99 });
    await writeCsvManifest(join(data, 'm.csv'), [
      validRow(1, { bmus_path: '../outside.png' }),
      validRow(2, { bmus_path: join(data, 'images/c2_bmus.png') }),
    ]);
    const allowed = await validateDataset(join(data, 'm.csv'), { allowOutsideRoot: true });
    expect(allowed.ok).toBe(true);
    await writeCsvManifest(join(data, 'm.csv'), [validRow(1), validRow(2, { bmus_path: join(data, 'images/c2_bmus.png') })]);
    expect((await validateDataset(join(data, 'm.csv'))).ok).toBe(true);
  });
});

describe('normalised labels', () => {
  it('accepts labels written with another case or spaces, with one warning per column naming the rows', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    const header = 'case_id,patient_id,bmus_path,ceus_path,blood_flow,boundary,echogenicity,morphology,papillary,septation,solid,malignancy';
    const row = (n: number, septation: string, malignancy: string) =>
      `c${n},p${n},images/c${n}_bmus.png,images/c${n}_ceus.png,0,0,0,0,0,${septation},0,${malignancy}`;
    await writeFile(join(dir, 'm.csv'), [header, row(1, ' 1', 'Benign'), row(2, '0', 'malignant'), row(3, '1', 'MALIGNANT ')].join('\n') + '\n');
    const result = await validateDataset(join(dir, 'm.csv'));
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.dataset.cases.map((c) => [c.labels.septation, c.malignancy])).toEqual([[1, 0], [0, 1], [1, 1]]);
    const normalised = result.warnings.filter((w) => w.code === 'label-normalised');
    expect(normalised.map((w) => [w.column, w.row, w.value])).toEqual([
      ['septation', 2, ' 1'],
      ['malignancy', 2, 'Benign'],
    ]);
    expect(normalised[0].message).toBe("This label was normalised (case, surrounding spaces or number format) on row 2: ' 1' was read as 1.");
    expect(normalised[1].message).toContain('2 malignancy labels were normalised');
    expect(normalised[1].message).toContain('rows 2, 4');
  });

  it('says nothing about labels written plainly', async () => {
    for (const n of [1, 2]) await writeCaseImages(dir, n);
    await writeCsvManifest(join(dir, 'm.csv'), [validRow(1), validRow(2, { malignancy: 'benign', septation: '' })]);
    const result = await validateDataset(join(dir, 'm.csv'));
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.warnings).toEqual([]);
  });
});

describe('report wording', () => {
  it('does not speak of a CSV header for a JSONL manifest', async () => {
    await writeJsonlManifest(join(dir, 'm.jsonl'), [validRow(1)]);
    const result = await validateDataset(join(dir, 'm.jsonl'));
    if (result.ok) throw new Error('expected missing images');
    const text = formatIssues(result.issues, { manifestPath: join(dir, 'm.jsonl') });
    expect(text).not.toMatch(/header/i);
    expect(text).toContain('line numbers');
    expect(text).toMatch(/^line 1$/m);
  });

  it('names one row as "row N"', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    await writeCsvManifest(join(dir, 'm.csv'), [
      validRow(1, { patient_id: 'p' }),
      validRow(2, { patient_id: 'p', malignancy: 0 }),
      validRow(3, { patient_id: 'p', malignancy: 1 }),
    ]);
    const result = await validateDataset(join(dir, 'm.csv'));
    if (result.ok) throw new Error('expected a patient conflict');
    expect(result.issues[0].message).toBe("Patient 'p' has benign cases (row 3) and malignant cases (rows 2, 4).");
  });
});
