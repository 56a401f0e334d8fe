// Every image problem, each with a real file on disk.
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateDataset, type DatasetIssue } from '../src/index';
import { makeTempDir, validRow, writeCaseImages, writeCsvManifest, writeDicom, writeJpeg, writePng, writePngBomb } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

/** Case 1 valid; case 2's BMUS replaced by whatever `prepare` writes at images/c2_bmus.<ext>. */
async function issuesForBadBmus(ext: string, prepare: (path: string) => Promise<unknown>): Promise<DatasetIssue[]> {
  await writeCaseImages(dir, 1);
  await writeCaseImages(dir, 2);
  const bad = join(dir, `images/c2_bmus.${ext}`);
  await rm(bad, { force: true });
  await prepare(bad);
  await writeCsvManifest(join(dir, 'm.csv'), [validRow(1), validRow(2, { bmus_path: `images/c2_bmus.${ext}` })]);
  const result = await validateDataset(join(dir, 'm.csv'));
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues.filter((i) => i.severity === 'error');
}

describe('image checks', () => {
  it('catches a truncated PNG by decoding it to the end (its header is intact)', async () => {
    const issues = await issuesForBadBmus('png', async (path) => {
      const full = await writePng(path, { width: 64, height: 64, variant: 9 });
      await writeFile(path, full.subarray(0, Math.floor(full.length * 0.6)));
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'image-corrupt', row: 3, column: 'bmus_path', value: 'images/c2_bmus.png' })]);
    expect(issues[0].message).toMatch(/truncated/);
  });

  it('catches a truncated JPEG', async () => {
    const issues = await issuesForBadBmus('jpg', async (path) => {
      const full = await writeJpeg(path, { width: 64, height: 64 });
      await writeFile(path, full.subarray(0, Math.floor(full.length * 0.5)));
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'image-corrupt', column: 'bmus_path' })]);
  });

  it('catches a JPEG renamed .png and says how to fix it', async () => {
    const issues = await issuesForBadBmus('png', (path) => writeJpeg(path));
    expect(issues).toEqual([expect.objectContaining({ code: 'image-format-mismatch', row: 3, column: 'bmus_path' })]);
    expect(issues[0].message).toBe("The file's content is JPEG but its extension says PNG.");
    expect(issues[0].expected).toMatch(/rename it to \.jpg/);
  });

  it('reports a missing file with the resolved path', async () => {
    const issues = await issuesForBadBmus('png', async () => undefined);
    expect(issues).toEqual([expect.objectContaining({ code: 'image-missing', row: 3, column: 'bmus_path' })]);
    expect(issues[0].message).toContain(join(dir, 'images/c2_bmus.png'));
  });

  it('reports an unreadable path: a directory where the file should be, and a symlink loop', async () => {
    const issues = await issuesForBadBmus('png', (path) => mkdir(path));
    expect(issues).toEqual([expect.objectContaining({ code: 'image-unreadable', column: 'bmus_path' })]);
    expect(issues[0].message).toMatch(/not a regular file/);

    await cleanup();
    ({ dir, cleanup } = await makeTempDir());
    const loop = await issuesForBadBmus('png', (path) => symlink(path, path));
    expect(loop).toEqual([expect.objectContaining({ code: 'image-unreadable', column: 'bmus_path' })]);
  });

  it('reports a zero-byte file', async () => {
    const issues = await issuesForBadBmus('png', (path) => writeFile(path, Buffer.alloc(0)));
    expect(issues).toEqual([expect.objectContaining({ code: 'image-empty', column: 'bmus_path' })]);
  });

  it('reports bytes that are no image at all, and an unaccepted extension', async () => {
    const garbage = await issuesForBadBmus('png', (path) => writeFile(path, 'this is text, not a picture'));
    expect(garbage).toEqual([expect.objectContaining({ code: 'image-corrupt' })]);
    await cleanup();
    ({ dir, cleanup } = await makeTempDir());
    const tiff = await issuesForBadBmus('tif', (path) => writePng(path));
    expect(tiff).toEqual([expect.objectContaining({ code: 'image-unsupported' })]);
    expect(tiff[0].expected).toContain('.png, .jpg, .jpeg, .dcm');
  });

  it('refuses a 20000x20000 decompression bomb from its header, without decoding it', async () => {
    const issues = await issuesForBadBmus('png', (path) => writePngBomb(path, 20000, 20000));
    expect(issues).toEqual([expect.objectContaining({ code: 'image-too-large', row: 3, column: 'bmus_path' })]);
    expect(issues[0].message).toContain('20000x20000 = 400,000,000 pixels');
    expect(issues[0].message).toContain('not decoded');
  });

  it('applies a custom pixel limit and a file size limit', async () => {
    await writeCaseImages(dir, 1, { width: 100, height: 100 });
    await writeCsvManifest(join(dir, 'm.csv'), [validRow(1)]);
    const pixels = await validateDataset(join(dir, 'm.csv'), { limits: { maxPixels: 5000 } });
    expect(pixels.ok ? [] : pixels.issues.map((i) => i.code)).toEqual(['image-too-large', 'image-too-large']);
    const bytes = await validateDataset(join(dir, 'm.csv'), { limits: { maxFileBytes: 10 } });
    expect(bytes.ok ? '' : bytes.issues[0].message).toMatch(/over the 10-byte limit/);
  });

  it('accepts uncompressed monochrome DICOM and refuses a compressed or truncated one', async () => {
    await writeDicom(join(dir, 'images/c1_bmus.dcm'), { bits: 16 });
    await writeDicom(join(dir, 'images/c1_ceus.dcm'), { bits: 8, width: 30 });
    await writeDicom(join(dir, 'images/c2_bmus.dcm'), { transferSyntax: '1.2.840.10008.1.2.4.50' });
    await writeDicom(join(dir, 'images/c2_ceus.dcm'), { truncate: true });
    const rows = [1, 2].map((n) => validRow(n, { bmus_path: `images/c${n}_bmus.dcm`, ceus_path: `images/c${n}_ceus.dcm` }));
    await writeCsvManifest(join(dir, 'm.csv'), rows);
    const result = await validateDataset(join(dir, 'm.csv'));
    if (result.ok) throw new Error('expected validation to fail');
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => [i.row, i.column, i.code])).toEqual([
      [3, 'bmus_path', 'image-unsupported'],
      [3, 'ceus_path', 'image-corrupt'],
    ]);
    // The valid pair of different sizes is only a warning.
    expect(result.issues.find((i) => i.row === 2)).toMatchObject({ severity: 'warning', code: 'pair-size-mismatch' });
  });

  it('reports every problem of the manifest in one pass', async () => {
    for (const n of [1, 2, 3, 4]) await writeCaseImages(dir, n);
    await writeJpeg(join(dir, 'images/c2_ceus.png'));
    await writeFile(join(dir, 'images/c4_bmus.png'), Buffer.alloc(0));
    await copyFile(join(dir, 'images/c1_bmus.png'), join(dir, 'images/copy.png'));
    expect((await readFile(join(dir, 'images/copy.png'))).length).toBeGreaterThan(0);
    const rows = [
      validRow(1, { boundary: 5 }),
      validRow(2),
      validRow(3, { bmus_path: 'images/nowhere.png', solid: 'yes' }),
      validRow(4),
    ];
    await writeCsvManifest(join(dir, 'm.csv'), rows);
    const result = await validateDataset(join(dir, 'm.csv'));
    if (result.ok) throw new Error('expected validation to fail');
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, 'boundary', 'invalid-value'],
      [3, 'ceus_path', 'image-format-mismatch'],
      [4, 'solid', 'invalid-value'],
      [4, 'bmus_path', 'image-missing'],
      [5, 'bmus_path', 'image-empty'],
    ]);
  });
});
