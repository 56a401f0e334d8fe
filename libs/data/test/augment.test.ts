import { describe, expect, it } from 'vitest';
import { augmentPair, createRng, NO_AUGMENTATION } from '../src/index';

const SIZE = 12;

/** A pair with a distinct value in every pixel (grey: the three channels equal). */
function pair(): { bmus: Float32Array; ceus: Float32Array } {
  const make = (offset: number) => {
    const image = new Float32Array(SIZE * SIZE * 3);
    for (let p = 0; p < SIZE * SIZE; p++) image.fill((p + offset) / (SIZE * SIZE + 10), p * 3, p * 3 + 3);
    return image;
  };
  return { bmus: make(0), ceus: make(5) };
}

const at = (image: Float32Array, x: number, y: number) => image[(y * SIZE + x) * 3];

describe('augmentPair', () => {
  it('is the identity with augmentation off, and never modifies its inputs', () => {
    const { bmus, ceus } = pair();
    const copy = bmus.slice();
    const out = augmentPair(bmus, ceus, SIZE, createRng(1), NO_AUGMENTATION);
    expect(out.bmus).toEqual(bmus);
    expect(out.bmus).not.toBe(bmus);
    augmentPair(bmus, ceus, SIZE, createRng(1));
    expect(bmus).toEqual(copy);
  });

  it('flips both images of a pair together', () => {
    const { bmus, ceus } = pair();
    const out = augmentPair(bmus, ceus, SIZE, createRng(3), { ...NO_AUGMENTATION, flipProbability: 1 });
    for (const [input, output] of [[bmus, out.bmus], [ceus, out.ceus]]) {
      expect(at(output, 0, 4)).toBeCloseTo(at(input, SIZE - 1, 4), 6);
      expect(at(output, 3, 7)).toBeCloseTo(at(input, SIZE - 4, 7), 6);
    }
  });

  it('rotates both images by the same small angle', () => {
    const { bmus, ceus } = pair();
    const out = augmentPair(bmus, ceus, SIZE, createRng(9), { ...NO_AUGMENTATION, maxRotationDeg: 10 });
    expect(out.bmus).not.toEqual(bmus);
    // ceus is bmus plus a constant, so under the same map their difference stays that constant
    // wherever the rotated source lies inside the picture; different angles would break it.
    for (let y = 3; y < SIZE - 3; y++) {
      for (let x = 3; x < SIZE - 3; x++) expect(at(out.ceus, x, y) - at(out.bmus, x, y)).toBeCloseTo(5 / (SIZE * SIZE + 10), 5);
    }
    const other = augmentPair(bmus, ceus, SIZE, createRng(10), { ...NO_AUGMENTATION, maxRotationDeg: 10 });
    expect(other.bmus).not.toEqual(out.bmus);
  });

  it('is deterministic for a seed, differs between seeds, and stays in [0, 1]', () => {
    const { bmus, ceus } = pair();
    const a = augmentPair(bmus, ceus, SIZE, createRng(11));
    const b = augmentPair(bmus, ceus, SIZE, createRng(11));
    const c = augmentPair(bmus, ceus, SIZE, createRng(12));
    expect(a).toEqual(b);
    expect(a.bmus).not.toEqual(c.bmus);
    const strong = augmentPair(bmus, ceus, SIZE, createRng(13), { brightness: 0.5, contrast: 0.9, speckle: 1 });
    expect(Math.min(...strong.bmus, ...strong.ceus)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...strong.bmus, ...strong.ceus)).toBeLessThanOrEqual(1);
  });

  it('adds speckle per pixel but keeps a grey image grey', () => {
    const { bmus, ceus } = pair();
    const out = augmentPair(bmus, ceus, SIZE, createRng(4), { ...NO_AUGMENTATION, speckle: 0.3 });
    expect(out.bmus).not.toEqual(bmus);
    for (let p = 0; p < SIZE * SIZE; p++) expect(out.bmus[p * 3 + 2]).toBe(out.bmus[p * 3]);
  });

  it('checks the image size', () => {
    const { bmus, ceus } = pair();
    expect(() => augmentPair(bmus, ceus, SIZE + 1, createRng(1))).toThrow(/must be 13x13x3 = 507 values/);
  });
});
