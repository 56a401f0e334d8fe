// Seeded augmentation of a BMUS/CEUS pair, used by training and by test-time augmentation alike.
// Input and output are HWC RGB in [0, 1] (decode, augment, then normalise: see preprocess.ts).
// Geometry is shared by the pair (both images show the same tumour in the same plane); intensity
// changes are drawn per image (each modality has its own gain settings on the machine).
import { nextBetween, nextBool, type Rng } from '../random';

export interface AugmentationOptions {
  /** Probability of a horizontal flip (applied to both images). */
  flipProbability: number;
  /** Rotation drawn uniformly in [-max, max] degrees (same angle for both images). */
  maxRotationDeg: number;
  /** Additive brightness drawn in [-b, b] (intensity units, image range [0, 1]). */
  brightness: number;
  /** Contrast factor drawn in [1 - c, 1 + c], around the image's mean. */
  contrast: number;
  /**
   * Multiplicative speckle: each pixel times 1 + s * (R - 1), R Rayleigh-distributed with mean 1
   * (standard deviation about 0.52), the distribution of ultrasound speckle.
   */
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
  const plan = flip || angle !== 0 ? samplingPlan(size, flip, angle) : null;
  const out = [bmus, ceus].map((image) => (plan ? resample(image, plan) : image.slice()));
  for (const image of out) {
    const brightness = nextBetween(rng, -o.brightness, o.brightness);
    const contrast = nextBetween(rng, 1 - o.contrast, 1 + o.contrast);
    adjustIntensity(image, size, brightness, contrast, o.speckle, rng);
  }
  return { bmus: out[0], ceus: out[1] };
}

/** Where each output pixel samples its input: top-left source pixel and bilinear weights. */
interface SamplingPlan {
  /** Source pixel index (y0 * size + x0) per output pixel; -1 when it falls outside (black). */
  source: Int32Array;
  fx: Float32Array;
  fy: Float32Array;
  size: number;
}

/**
 * Flip and rotation about the centre as one inverse mapping, computed once per pair: both images
 * get the same geometry, and the trigonometry is not repeated per image.
 */
function samplingPlan(size: number, flip: boolean, angle: number): SamplingPlan {
  const n = size * size;
  const plan: SamplingPlan = { source: new Int32Array(n).fill(-1), fx: new Float32Array(n), fy: new Float32Array(n), size };
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
      // Clamp the top-left corner so that its right/bottom neighbours exist; the weight then
      // reaches 1 on the last row/column instead.
      const x0 = Math.min(Math.floor(sx), size - 2);
      const y0 = Math.min(Math.floor(sy), size - 2);
      const o = y * size + x;
      plan.source[o] = y0 * size + x0;
      plan.fx[o] = sx - x0;
      plan.fy[o] = sy - y0;
    }
  }
  return plan;
}

function resample(image: Float32Array, plan: SamplingPlan): Float32Array {
  const out = new Float32Array(image.length);
  const row = plan.size * 3;
  for (let o = 0; o < plan.source.length; o++) {
    const s = plan.source[o];
    if (s < 0) continue;
    const fx = plan.fx[o];
    const fy = plan.fy[o];
    const w00 = (1 - fx) * (1 - fy);
    const w01 = fx * (1 - fy);
    const w10 = (1 - fx) * fy;
    const w11 = fx * fy;
    const a = s * 3;
    const b = o * 3;
    for (let ch = 0; ch < 3; ch++) {
      out[b + ch] = image[a + ch] * w00 + image[a + 3 + ch] * w01 + image[a + row + ch] * w10 + image[a + row + 3 + ch] * w11;
    }
  }
  return out;
}

const RAYLEIGH_BITS = 12;

/**
 * Rayleigh quantiles with mean 1 at 4096 evenly spaced probabilities: a per-pixel draw becomes a
 * table look-up instead of a logarithm (augmentation runs on every pixel of every epoch).
 */
const RAYLEIGH_TABLE = (() => {
  const count = 1 << RAYLEIGH_BITS;
  const mean = Math.sqrt(Math.PI / 2);
  return Float32Array.from({ length: count }, (_, k) => Math.sqrt(-2 * Math.log(1 - (k + 0.5) / count)) / mean);
})();

function rayleigh(rng: Rng): number {
  return RAYLEIGH_TABLE[rng.next() >>> (32 - RAYLEIGH_BITS)];
}

function adjustIntensity(image: Float32Array, size: number, brightness: number, contrast: number, speckle: number, rng: Rng): void {
  let sum = 0;
  for (let i = 0; i < image.length; i++) sum += image[i];
  const mean = sum / image.length;
  for (let p = 0; p < size * size; p++) {
    // One noise value per pixel, shared by its three channels, so a grey image stays grey.
    const noise = speckle > 0 ? Math.max(0, 1 + speckle * (rayleigh(rng) - 1)) : 1;
    for (let ch = 0; ch < 3; ch++) {
      const i = p * 3 + ch;
      const v = ((image[i] - mean) * contrast + mean + brightness) * noise;
      image[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}
