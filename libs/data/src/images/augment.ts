// Seeded augmentation of a BMUS/CEUS pair, used by training and by test-time augmentation alike.
// Input and output are HWC RGB in [0, 1] (decode, augment, then normalise: see preprocess.ts).
// Geometry is shared by the pair (both images show the same tumour in the same plane); intensity
// changes are drawn per image (each modality has its own gain settings on the machine).
import { nextBetween, nextBool, nextNormal, type Rng } from '../random';

export interface AugmentationOptions {
  /** Probability of a horizontal flip (applied to both images). */
  flipProbability: number;
  /** Rotation drawn uniformly in [-max, max] degrees (same angle for both images). */
  maxRotationDeg: number;
  /** Additive brightness drawn in [-b, b] (intensity units, image range [0, 1]). */
  brightness: number;
  /** Contrast factor drawn in [1 - c, 1 + c], around the image's mean. */
  contrast: number;
  /** Multiplicative speckle: each pixel times (1 + s * N(0, 1)), clipped at 0. */
  speckle: number;
}

export const DEFAULT_AUGMENTATION: Readonly<AugmentationOptions> = {
  flipProbability: 0.5,
  maxRotationDeg: 10,
  brightness: 0.08,
  contrast: 0.2,
  speckle: 0.1,
};

export const NO_AUGMENTATION: Readonly<AugmentationOptions> = {
  flipProbability: 0,
  maxRotationDeg: 0,
  brightness: 0,
  contrast: 0,
  speckle: 0,
};

/**
 * Returns new arrays; the inputs (possibly cached) are not modified. The same rng state and options
 * always give the same output; the rng advances, so successive calls differ.
 */
export function augmentPair(
  bmus: Float32Array,
  ceus: Float32Array,
  size: number,
  rng: Rng,
  options: Partial<AugmentationOptions> = {},
): { bmus: Float32Array; ceus: Float32Array } {
  const o = { ...DEFAULT_AUGMENTATION, ...options };
  const expected = size * size * 3;
  if (bmus.length !== expected || ceus.length !== expected) {
    throw new RangeError(`augmentPair: images must be ${size}x${size}x3 = ${expected} values, got ${bmus.length} and ${ceus.length}.`);
  }
  // Draw order is fixed so that a seed means the same augmentation in every version.
  const flip = nextBool(rng, o.flipProbability);
  const angle = (nextBetween(rng, -o.maxRotationDeg, o.maxRotationDeg) * Math.PI) / 180;
  const out = [bmus, ceus].map((image) => transformGeometry(image, size, flip, angle));
  for (const image of out) {
    const brightness = nextBetween(rng, -o.brightness, o.brightness);
    const contrast = nextBetween(rng, 1 - o.contrast, 1 + o.contrast);
    adjustIntensity(image, size, brightness, contrast, o.speckle, rng);
  }
  return { bmus: out[0], ceus: out[1] };
}

/** Flip and rotation about the centre in one inverse mapping, bilinear; outside is black. */
function transformGeometry(image: Float32Array, size: number, flip: boolean, angle: number): Float32Array {
  if (!flip && angle === 0) return image.slice();
  const out = new Float32Array(image.length);
  const c = (size - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      let sx = cos * dx + sin * dy + c;
      const sy = -sin * dx + cos * dy + c;
      if (flip) sx = size - 1 - sx;
      if (sx < 0 || sy < 0 || sx > size - 1 || sy > size - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, size - 1);
      const y1 = Math.min(y0 + 1, size - 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const a = image[(y0 * size + x0) * 3 + ch];
        const b = image[(y0 * size + x1) * 3 + ch];
        const d = image[(y1 * size + x0) * 3 + ch];
        const e = image[(y1 * size + x1) * 3 + ch];
        out[o + ch] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
      }
    }
  }
  return out;
}

function adjustIntensity(image: Float32Array, size: number, brightness: number, contrast: number, speckle: number, rng: Rng): void {
  let sum = 0;
  for (let i = 0; i < image.length; i++) sum += image[i];
  const mean = sum / image.length;
  for (let p = 0; p < size * size; p++) {
    // One noise value per pixel, shared by its three channels, so a grey image stays grey.
    const noise = speckle > 0 ? Math.max(0, 1 + speckle * nextNormal(rng)) : 1;
    for (let ch = 0; ch < 3; ch++) {
      const i = p * 3 + ch;
      const v = ((image[i] - mean) * contrast + mean + brightness) * noise;
      image[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}
