// Decoding to the models' layout, normalisation, the cache, and the shared preprocessing.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRng,
  IMAGENET_MEAN,
  IMAGENET_STD,
  ImageCache,
  loadCasePair,
  loadImage,
  preprocessCasePair,
  validateDataset,
  type CaseRecord,
} from '../src/index';
import { makeTempDir, writeDicom, writePng, writeValidDataset } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function firstCase(): Promise<CaseRecord> {
  const result = await validateDataset(await writeValidDataset(dir, 1));
  if (!result.ok) throw new Error('fixture invalid');
  return result.dataset.cases[0];
}

describe('loadImage', () => {
  it('returns size x size x 3 floats, grey replicated into RGB, in [0, 1] with unit normalisation', async () => {
    const path = join(dir, 'a.png');
    await writePng(path, { width: 48, height: 40, variant: 3 });
    const image = await loadImage(path, { size: 16, normalization: 'unit', cache: null });
    expect(image).toBeInstanceOf(Float32Array);
    expect(image.length).toBe(16 * 16 * 3);
    for (let p = 0; p < 16 * 16; p++) {
      expect(image[p * 3 + 1]).toBe(image[p * 3]);
      expect(image[p * 3 + 2]).toBe(image[p * 3]);
    }
    expect(Math.min(...image)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...image)).toBeLessThanOrEqual(1);
    // Matches sharp's own resize of the same file, scaled to [0, 1].
    const reference = await sharp(path).resize(16, 16, { fit: 'fill' }).greyscale().raw().toBuffer();
    expect(image[5 * 3]).toBeCloseTo(reference[5] / 255, 2);
  });

  it('keeps colour channels apart and standardises with the ImageNet mean and std by default', async () => {
    const path = join(dir, 'rgb.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 255, g: 0, b: 128 } } }).png().toFile(path);
    const unit = await loadImage(path, { size: 8, normalization: 'unit' });
    expect([unit[0], unit[1], unit[2]].map((v) => Number(v.toFixed(3)))).toEqual([1, 0, 0.502]);
    const standardised = await loadImage(path, { size: 8 });
    expect(standardised[0]).toBeCloseTo((1 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], 5);
    expect(standardised[1]).toBeCloseTo((0 - IMAGENET_MEAN[1]) / IMAGENET_STD[1], 5);
  });

  it("pads with black under fit 'contain'", async () => {
    const path = join(dir, 'wide.png');
    await sharp({ create: { width: 40, height: 10, channels: 3, background: '#ffffff' } }).png().toFile(path);
    const image = await loadImage(path, { size: 8, normalization: 'unit', fit: 'contain', cache: null });
    expect(image[0]).toBe(0); // top-left corner is padding
    expect(image[(4 * 8 + 4) * 3]).toBe(1); // centre is the picture
  });

  it('reads a 16-bit grey PNG on the same [0, 1] scale', async () => {
    const path = join(dir, 'deep.png');
    const samples = new Uint16Array(16 * 16).map((_, i) => i * 256);
    await sharp(samples, { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('grey16').png().toFile(path);
    expect((await sharp(path).metadata()).depth).toBe('ushort');
    const image = await loadImage(path, { size: 16, normalization: 'unit', cache: null });
    expect(image[100 * 3]).toBeCloseTo(100 / 255, 3);
  });

  it('decodes DICOM like any other image', async () => {
    await writeDicom(join(dir, 'a.dcm'), { width: 40, height: 32, bits: 16 });
    const image = await loadImage(join(dir, 'a.dcm'), { size: 12, normalization: 'unit', cache: null });
    expect(image.length).toBe(12 * 12 * 3);
    expect(Math.max(...image)).toBeGreaterThan(0.5);
  });

  it('explains what is wrong with a file it cannot load', async () => {
    await writeFile(join(dir, 'bad.png'), 'not an image');
    await expect(loadImage(join(dir, 'bad.png'), { size: 8, cache: null })).rejects.toThrow(/not a recognised image format/);
    await expect(loadImage(join(dir, 'none.png'), { size: 8, cache: null })).rejects.toThrow(/Cannot read image/);
    await expect(loadImage(join(dir, 'none.png'), { size: 3 })).rejects.toThrow(/between 8 and 2048/);
  });
});

describe('case pairs and the cache', () => {
  it('decodes each image once per size and hands out fresh arrays', async () => {
    const record = await firstCase();
    const cache = new ImageCache();
    const first = await loadCasePair(dir, record, { size: 16, cache });
    expect(cache.misses).toBe(2);
    first.bmus.fill(42); // callers may scribble on what they get
    const second = await loadCasePair(dir, record, { size: 16, cache });
    expect(cache.hits).toBe(2);
    expect(second.bmus[0]).not.toBe(42);
    expect(second.bmus).not.toEqual(second.ceus);
    await loadCasePair(dir, record, { size: 24, cache });
    expect(cache.size).toBe(4);
    expect(cache.byteSize).toBe(2 * (16 * 16 + 24 * 24) * 3 * 4);
  });

  it('evicts the least recently used entries past its byte budget', () => {
    const cache = new ImageCache(3 * 400);
    for (const key of ['a', 'b', 'c']) cache.set(key, new Float32Array(100));
    cache.get('a');
    cache.set('d', new Float32Array(100));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.byteSize).toBe(1200);
  });

  it('refuses an image that changed since validation', async () => {
    const record = await firstCase();
    await writePng(join(dir, record.ceusPath), { variant: 77 });
    await expect(loadCasePair(dir, record, { size: 16, cache: null })).rejects.toThrow(/has changed since the dataset was validated.*Re-import/);
  });

  it('preprocesses identically with or without an rng when augmentation is off, and deterministically with it', async () => {
    const record = await firstCase();
    const plain = await preprocessCasePair(dir, record, { size: 16 });
    const viaLoad = await loadCasePair(dir, record, { size: 16 });
    expect(plain).toEqual(viaLoad);
    const options = { size: 16, normalization: 'unit' as const };
    const a = await preprocessCasePair(dir, record, { ...options, augmentation: { rng: createRng(5) } });
    const b = await preprocessCasePair(dir, record, { ...options, augmentation: { rng: createRng(5) } });
    const c = await preprocessCasePair(dir, record, { ...options, augmentation: { rng: createRng(6) } });
    expect(a).toEqual(b);
    expect(a.bmus).not.toEqual(c.bmus);
  });
});
