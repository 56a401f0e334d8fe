// Which backbones a config may name and which image sizes and poolings each takes: all from the
// @ovus/ml-models registry, so a config is refused for exactly what the model builder would refuse.
import { BACKBONE_NAMES, listBackbones, type BackboneInfo, type BackboneName } from '@ovus/ml-models';

export { BACKBONE_NAMES, type BackboneName };

/** Above this a batch of two images no longer fits wasm's 4 GiB, and no paper setting needs more. */
export const MAX_IMAGE_SIZE = 1024;

const REGISTRY = new Map<string, BackboneInfo>(listBackbones().map((b) => [b.name, b]));

/** Why `size` cannot be used with `backbone`, or null when it can. */
export function imageSizeProblem(backbone: string, size: number): string | null {
  if (!Number.isInteger(size) || size < 1 || size > MAX_IMAGE_SIZE) {
    return `${size} is impossible: use a whole number of pixels up to ${MAX_IMAGE_SIZE} (the paper uses 224)`;
  }
  const rule = REGISTRY.get(backbone)?.inputSize;
  if (!rule) return null; // the backbone itself is reported as unknown
  const { minimum, step, why } = rule;
  if (size >= minimum && (size - minimum) % step === 0) return null;
  const below = Math.max(minimum, minimum + Math.floor((size - minimum) / step) * step);
  const nearest = below === size || below > size ? [below] : [below, below + step];
  return `${size} does not work with ${backbone}: it needs at least ${minimum} px in steps of ${step} (${why}); nearest valid: ${nearest.join(' or ')}`;
}

/** Why `pooling` cannot be used with `backbone`, or null when it can. */
export function poolingProblem(backbone: string, pooling: string): string | null {
  const poolings = REGISTRY.get(backbone)?.poolings;
  if (!poolings || poolings.includes(pooling as (typeof poolings)[number])) return null;
  return `${backbone} cannot pool with '${pooling}'; it supports ${poolings.join(', ')}`;
}
