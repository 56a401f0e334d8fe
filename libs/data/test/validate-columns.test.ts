// Manifest-level and cell-level problems: columns, codes, required values, row numbering.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_COLUMNS, validateDataset, type DatasetIssue } from '../src/index';
import { makeTempDir, validRow, writeCaseImages, writeCsvManifest, writeJsonlManifest } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function issuesOf(manifest: string): Promise<DatasetIssue[]> {
  const result = await validateDataset(manifest);
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues;
}

describe('manifest columns and values', () => {
  it('reports an unknown column with a did-you-mean suggestion, on the header row', async () => {
    await writeCaseImages(dir, 1);
    const columns = MANIFEST_COLUMNS.map((c) => (c === 'septation' ? 'septaton' : c));
    const row = validRow(1);
    row.septaton = 0;
    await writeCsvManifest(join(dir, 'm.csv'), [row], columns);
    const issues = await issuesOf(join(dir, 'm.csv'));
    const unknown = issues.find((i) => i.code === 'unknown-column');
    expect(unknown).toMatchObject({ row: 1, column: 'septaton', value: 'septaton' });
    expect(unknown?.message).toContain("did you mean 'septation'?");
    // The real column is then missing, which is reported too.
    expect(issues.find((i) => i.code === 'missing-column')).toMatchObject({ row: 1, column: 'septation' });
  });

  it('reports a missing required column once, not once per row', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    const columns = MANIFEST_COLUMNS.filter((c) => c !== 'malignancy');
    await writeCsvManifest(join(dir, 'm.csv'), [validRow(1), validRow(2), validRow(3)], columns);
    const issues = await issuesOf(join(dir, 'm.csv'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'missing-column', column: 'malignancy', row: 1 });
  });

  it('rejects echogenicity 2 naming the valid codes, with the row as a person counts it', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    await writeCsvManifest(join(dir, 'm.csv'), [validRow(1), validRow(2), validRow(3, { echogenicity: 2 })]);
    const issues = await issuesOf(join(dir, 'm.csv'));
    expect(issues).toHaveLength(1);
    // Header is row 1, so the third case is on row 4.
    expect(issues[0]).toMatchObject({ code: 'invalid-value', row: 4, column: 'echogenicity', value: '2' });
    expect(issues[0].expected).toMatch(/^one of 0, 1, 3, 4 /);
  });

  it('requires malignancy, accepts benign/malignant words, and keeps empty labels as null', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    const rows = [
      validRow(1, { malignancy: 'Malignant', blood_flow: '' }),
      validRow(2, { malignancy: 'benign', solid: 'NA' }),
      validRow(3, { malignancy: '' }),
    ];
    await writeCsvManifest(join(dir, 'm.csv'), rows);
    const issues = await issuesOf(join(dir, 'm.csv'));
    expect(issues.map((i) => [i.severity, i.code])).toEqual([
      ['warning', 'label-normalised'], // 'Malignant' is read as 1, and said so
      ['error', 'invalid-value'],
    ]);
    expect(issues[1]).toMatchObject({ code: 'invalid-value', row: 4, column: 'malignancy', value: '' });
    expect(issues[1].expected).toContain('required');

    rows[2] = validRow(3, { malignancy: 1 });
    await writeCsvManifest(join(dir, 'm.csv'), rows);
    const ok = await validateDataset(join(dir, 'm.csv'));
    if (!ok.ok) throw new Error(JSON.stringify(ok.issues));
    const byId = new Map(ok.dataset.cases.map((c) => [c.caseId, c]));
    expect(byId.get('c1')).toMatchObject({ malignancy: 1, labels: { blood_flow: null } });
    expect(byId.get('c2')).toMatchObject({ malignancy: 0, labels: { solid: null, blood_flow: 0 } });
    expect(ok.dataset.statistics.parameters.blood_flow.missing).toBe(1);
  });

  it('numbers rows by the line a row starts on, also after blank lines and multi-line quoted cells', async () => {
    for (const n of [1, 2]) await writeCaseImages(dir, n);
    const header = MANIFEST_COLUMNS.join(',');
    const line = (n: number, echogenicity: string, caseId = `c${n}`) =>
      [caseId, `p${n}`, `images/c${n}_bmus.png`, `images/c${n}_ceus.png`, 0, 0, echogenicity, 0, 0, 0, 0, 0].join(',');
    const text = [header, '', line(1, '0', '"c1\nsecond line"'), line(2, '7')].join('\r\n');
    await writeFile(join(dir, 'm.csv'), text);
    const issues = await issuesOf(join(dir, 'm.csv'));
    expect(issues.map((i) => [i.row, i.column])).toEqual([[5, 'echogenicity']]);
  });

  it('reports a row with the wrong number of fields instead of misreading it', async () => {
    await writeCaseImages(dir, 1);
    const header = MANIFEST_COLUMNS.join(',');
    await writeFile(join(dir, 'm.csv'), `${header}\nc1,p1,images/c1_bmus.png,images/c1_ceus.png,0,0,0\n`);
    const issues = await issuesOf(join(dir, 'm.csv'));
    expect(issues).toEqual([expect.objectContaining({ code: 'field-count', row: 2, value: '7 fields' })]);
  });

  it('tells a semicolon-separated export apart from a bad header', async () => {
    await writeFile(join(dir, 'm.csv'), `${MANIFEST_COLUMNS.join(';')}\n`);
    const issues = await issuesOf(join(dir, 'm.csv'));
    expect(issues[0]).toMatchObject({ code: 'manifest-syntax', row: 1 });
    expect(issues[0].message).toContain('semicolons');
  });

  it('reads JSONL, numbering by line and reporting a key typo once with the lines it is on', async () => {
    for (const n of [1, 2, 3]) await writeCaseImages(dir, n);
    const rows = [1, 2, 3].map((n) => {
      const { morphology, ...rest } = validRow(n);
      return { ...rest, morphologie: morphology };
    });
    await writeJsonlManifest(join(dir, 'm.jsonl'), rows);
    await writeFile(join(dir, 'm.jsonl'), `${JSON.stringify(rows[0])}\n\n{not json\n${JSON.stringify(rows[1])}\n${JSON.stringify({ ...rows[2], papillary: 3 })}\n`);
    const issues = await issuesOf(join(dir, 'm.jsonl'));
    expect(issues.filter((i) => i.code === 'unknown-column')).toEqual([
      expect.objectContaining({ row: 1, column: 'morphologie' }),
    ]);
    expect(issues.find((i) => i.code === 'unknown-column')?.message).toMatch(/did you mean 'morphology'\?.*on 3 lines: 1, 4, 5/);
    expect(issues.find((i) => i.code === 'missing-column')).toMatchObject({ column: 'morphology', row: 1 });
    expect(issues.find((i) => i.code === 'manifest-syntax')).toMatchObject({ row: 3 });
    expect(issues.find((i) => i.code === 'invalid-value')).toMatchObject({ row: 5, column: 'papillary', value: '3' });
  });

  it('accepts null labels and numeric ids in JSONL', async () => {
    await writeCaseImages(dir, 1);
    await writeJsonlManifest(join(dir, 'm.jsonl'), [validRow(1, { case_id: 17, patient_id: 4, septation: null, malignancy: 'malignant' })]);
    const result = await validateDataset(join(dir, 'm.jsonl'));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.dataset.cases[0]).toMatchObject({ caseId: '17', patientId: '4', malignancy: 1, labels: { septation: null } });
  });

  it('refuses a manifest with an unknown extension, a missing manifest and an empty one', async () => {
    await writeFile(join(dir, 'm.xlsx'), 'x');
    expect((await issuesOf(join(dir, 'm.xlsx')))[0].code).toBe('manifest-format');
    expect((await issuesOf(join(dir, 'absent.csv')))[0].code).toBe('manifest-unreadable');
    await writeFile(join(dir, 'empty.csv'), `${MANIFEST_COLUMNS.join(',')}\n`);
    expect((await issuesOf(join(dir, 'empty.csv')))[0].code).toBe('manifest-empty');
  });
});
