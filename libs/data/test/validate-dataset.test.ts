// The happy path: what a validated dataset holds, its content hash, and the issue report.
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssues, formatStatistics, sha256Hex, validateDataset, type ValidatedDataset } from '../src/index';
import { makeTempDir, validRow, writeCaseImages, writeCsvManifest, writeJsonlManifest, writePng, writeValidDataset } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function valid(manifest: string, options?: Parameters<typeof validateDataset>[1]): Promise<ValidatedDataset> {
  const result = await validateDataset(manifest, options);
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.dataset;
}

describe('validateDataset on a valid dataset', () => {
  it('returns cases, patients, image hashes and paper-style statistics', async () => {
    const manifest = await writeValidDataset(dir, 6, (n) => ({
      patient_id: `p${Math.ceil(n / 2)}`,
      malignancy: n > 4 ? 1 : 0,
      echogenicity: [0, 1, 3, 4, 4, 0][n - 1],
      blood_flow: n === 1 ? null : 1,
    }));
    const dataset = await valid(manifest);
    expect(dataset.name).toBe(dir.split('/').pop());
    expect(dataset.manifestPath).toBe(manifest);
    expect(dataset.rootDir).toBe(dir);
    expect(dataset.cases.map((c) => c.caseId)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(dataset.patientCount).toBe(3);
    const { readFile } = await import('node:fs/promises');
    expect(dataset.cases[0].bmusSha256).toBe(sha256Hex(await readFile(join(dir, 'images/c1_bmus.png'))));
    expect(dataset.cases[0].bmusPath).toBe('images/c1_bmus.png');
    expect(dataset.statistics.classCounts).toEqual({ benign: 4, malignant: 2 });
    expect(dataset.statistics.parameters.echogenicity).toEqual({
      benign: { '0': 1, '1': 1, '3': 1, '4': 1 },
      malignant: { '0': 1, '1': 0, '3': 0, '4': 1 },
      missing: 0,
    });
    expect(dataset.statistics.parameters.blood_flow).toEqual({ benign: { '0': 0, '1': 3 }, malignant: { '0': 0, '1': 2 }, missing: 1 });
    const table = formatStatistics(dataset.statistics);
    expect(table.split('\n')[0]).toBe('Benign: 4  Malignant: 2');
    expect(table).toMatch(/Internal echogenicity\s+1\s+1\s+1\s+1\s+1\s+0\s+0\s+1\s+0/);
  });

  it('gives the same content hash for the same data wherever it lives and whatever the row order or format', async () => {
    const manifest = await writeValidDataset(dir, 4);
    const first = await valid(manifest);
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await valid(manifest)).contentHash).toBe(first.contentHash);

    const moved = join(dir, 'moved');
    await cp(join(dir, 'images'), join(moved, 'images'), { recursive: true });
    const rows = [4, 3, 2, 1].map((n) => validRow(n));
    await writeJsonlManifest(join(moved, 'other.jsonl'), rows);
    const elsewhere = await valid(join(moved, 'other.jsonl'));
    expect(elsewhere.name).toBe('other');
    expect(elsewhere.contentHash).toBe(first.contentHash);
  });

  it('changes the content hash when a label or an image byte changes', async () => {
    const manifest = await writeValidDataset(dir, 3);
    const before = (await valid(manifest)).contentHash;
    await writeCsvManifest(manifest, [validRow(1), validRow(2, { papillary: 1 }), validRow(3)]);
    const relabelled = (await valid(manifest)).contentHash;
    expect(relabelled).not.toBe(before);
    await writeCsvManifest(manifest, [validRow(1), validRow(2), validRow(3)]);
    await writePng(join(dir, 'images/c3_ceus.png'), { variant: 99 });
    expect((await valid(manifest)).contentHash).not.toBe(before);
  });

  it('resolves relative paths from rootDir when given, and accepts absolute paths elsewhere when allowed', async () => {
    await writeCaseImages(join(dir, 'data'), 1);
    await writePng(join(dir, 'elsewhere/c2_bmus.png'), { variant: 50 });
    await writePng(join(dir, 'elsewhere/c2_ceus.png'), { variant: 51 });
    await writeCsvManifest(join(dir, 'meta/list.csv'), [
      validRow(1),
      validRow(2, { bmus_path: join(dir, 'elsewhere/c2_bmus.png'), ceus_path: join(dir, 'elsewhere/c2_ceus.png') }),
    ]);
    const dataset = await valid(join(dir, 'meta/list.csv'), { rootDir: join(dir, 'data'), name: 'mine', allowOutsideRoot: true });
    expect(dataset.name).toBe('mine');
    expect(dataset.rootDir).toBe(join(dir, 'data'));
    expect(dataset.cases[1].bmusPath).toBe(join(dir, 'elsewhere/c2_bmus.png'));
  });

  it('validates a few hundred cases with bounded concurrency', async () => {
    const manifest = await writeValidDataset(dir, 200);
    const dataset = await valid(manifest, { limits: { concurrency: 3 } });
    expect(dataset.cases).toHaveLength(200);
    expect(new Set(dataset.cases.map((c) => c.ceusSha256)).size).toBe(200);
  });
});

describe('formatIssues', () => {
  it('prints a summary and a table grouped by row, file-level problems first', async () => {
    for (const n of [1, 2]) await writeCaseImages(dir, n);
    const header = 'case_id,patient_id,bmus_path,ceus_path,blood_flow,boundary,echogenicity,morphology,papillary,septaton,solid,malignancy';
    await writeFile(
      join(dir, 'm.csv'),
      `${header}\nc1,p1,images/c1_bmus.png,images/c1_ceus.png,0,0,2,0,0,0,0,0\nc2,p2,images/c2_bmus.png,images/missing.png,0,0,0,0,0,0,9,1\n`,
    );
    const result = await validateDataset(join(dir, 'm.csv'));
    if (result.ok) throw new Error('expected validation to fail');
    const text = formatIssues(result.issues, { manifestPath: 'm.csv' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('5 errors, 0 warnings on 3 rows in m.csv (rows count lines of the file; the CSV header is row 1)');
    const blocks = lines.filter((l) => /^(row \d+|whole file)$/.test(l));
    expect(blocks).toEqual(['row 1', 'row 2', 'row 3']);
    expect(text).toMatch(/row 1\n\s+error\s+septaton\s+septaton\s+Unknown column 'septaton' — did you mean 'septation'\?/);
    expect(text).toMatch(/row 2\n\s+error\s+echogenicity\s+2\s+Invalid echogenicity '2'\.\n\s+expected: one of 0, 1, 3, 4/);
    expect(text).toMatch(/row 3\n(.*\n)*\s+error\s+ceus_path\s+images\/missing\.png\s+No file at/);
    expect(formatIssues([])).toBe('No problems found.');
  });
});
