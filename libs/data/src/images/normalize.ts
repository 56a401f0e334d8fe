// Pixel scaling. Images are decoded to [0, 1]; 'imagenet' then standardises each channel with the
// ImageNet mean and standard deviation, which is what pretrained backbones expect; 'unit' keeps
// [0, 1] (for models trained from scratch).

export type Normalization = 'imagenet' | 'unit';

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** A new array; the input (HWC RGB in [0, 1]) is left untouched. */
export function normalizeImage(unit: Float32Array, normalization: Normalization): Float32Array {
  if (normalization === 'unit') return unit.slice();
  const out = new Float32Array(unit.length);
  // (v - mean) / std as v * scale + shift, with the constants in locals: this runs per pixel of
  // every image of every epoch.
  const s0 = 1 / IMAGENET_STD[0];
  const s1 = 1 / IMAGENET_STD[1];
  const s2 = 1 / IMAGENET_STD[2];
  const t0 = -IMAGENET_MEAN[0] * s0;
  const t1 = -IMAGENET_MEAN[1] * s1;
  const t2 = -IMAGENET_MEAN[2] * s2;
  for (let i = 0; i < unit.length; i += 3) {
    out[i] = unit[i] * s0 + t0;
    out[i + 1] = unit[i + 1] * s1 + t1;
    out[i + 2] = unit[i + 2] * s2 + t2;
  }
  return out;
}
