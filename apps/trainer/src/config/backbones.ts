// The backbone names a config may use and the image sizes each can take.
// TODO(lead): replace BACKBONE_NAMES with listBackbones() from @ovus/ml-models once it lands, so
// the registry is the single source of the names.

export const BACKBONE_NAMES = [
  'efficientnet-b0',
  'mobilenet-v2',
  'mobilenet-v3-small',
  'mobilenet-v3-large',
  'vgg16',
  'vgg19',
  'resnet18',
  'resnet34',
  'resnet50',
  'densenet121',
  'densenet169',
  'densenet201',
  'vit-b16',
] as const;

export type BackboneName = (typeof BACKBONE_NAMES)[number];

/** Below this, five stride-2 stages leave no pixels; above it, a batch no longer fits wasm's 4 GiB. */
export const MIN_IMAGE_SIZE = 32;
export const MAX_IMAGE_SIZE = 1024;
const VIT_PATCH_SIZE = 16;

/** Why `size` cannot be used with `backbone`, or null when it can. */
export function imageSizeProblem(backbone: string, size: number): string | null {
  if (!Number.isInteger(size) || size < MIN_IMAGE_SIZE || size > MAX_IMAGE_SIZE) {
    return `${size} is impossible: use a whole number of pixels from ${MIN_IMAGE_SIZE} to ${MAX_IMAGE_SIZE} (the paper uses 224)`;
  }
  if (backbone === 'vit-b16' && size % VIT_PATCH_SIZE !== 0) {
    const lower = Math.max(MIN_IMAGE_SIZE, size - (size % VIT_PATCH_SIZE));
    return `${size} does not work with vit-b16, which cuts images into ${VIT_PATCH_SIZE}×${VIT_PATCH_SIZE} patches: use a multiple of ${VIT_PATCH_SIZE} such as ${lower} or ${lower + VIT_PATCH_SIZE}`;
  }
  return null;
}
