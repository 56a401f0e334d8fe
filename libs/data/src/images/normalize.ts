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
  for (let i = 0; i < unit.length; i += 3) {
    out[i] = (unit[i] - IMAGENET_MEAN[0]) / IMAGENET_STD[0];
    out[i + 1] = (unit[i + 1] - IMAGENET_MEAN[1]) / IMAGENET_STD[1];
    out[i + 2] = (unit[i + 2] - IMAGENET_MEAN[2]) / IMAGENET_STD[2];
  }
  return out;
}
