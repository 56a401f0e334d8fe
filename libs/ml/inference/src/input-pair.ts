// One BMUS/CEUS pair from files, checked and decoded exactly as training decodes its images
// (@ovus/data's loadImage: sharp, 'fill' resize to the model's input size, RGB in [0, 1] — the
// same loadUnit path prepareRunData takes), so inference never drifts from training.
import { basename } from 'node:path';
import { DEFAULT_VALIDATION_LIMITS, inspectImage, loadImage, type InspectedImage } from '@ovus/data';

export type Modality = 'bmus' | 'ceus';
export const MODALITIES: readonly Modality[] = ['bmus', 'ceus'];
export const MODALITY_TITLES: Record<Modality, string> = { bmus: 'B-mode (BMUS)', ceus: 'contrast-enhanced (CEUS)' };

/** A problem with the input a person can fix: which image, which file, what to do. */
export class InferenceInputError extends Error {
  constructor(
    message: string,
    readonly modality: Modality | null,
    readonly path: string | null,
  ) {
    super(message);
    this.name = 'InferenceInputError';
  }
}

export interface PairPaths {
  bmus?: string | null;
  ceus?: string | null;
}

export interface LoadedImage {
  path: string;
  /** The file as it was read (format, original width × height, sha256). */
  source: InspectedImage;
  /** HWC RGB in [0, 1] at size × size. */
  pixels: Float32Array;
}

export interface LoadedPair {
  size: number;
  bmus: LoadedImage;
  ceus: LoadedImage;
  /** Things the reader should know but that do not stop the prediction (e.g. a far-off image size). */
  warnings: string[];
}

export interface LoadPairOptions {
  /** The model's input size: images are resized to size × size. */
  size: number;
  /**
   * Width and height of the images the model was trained from (before resizing), when known; an
   * input more than `sizeTolerance` times larger or smaller in either side is warned about.
   */
  reference?: { width: number; height: number } | null;
  /** Default 2. */
  sizeTolerance?: number;
}

/** Refuses a missing modality or an unreadable, non-image or truncated file; warns on a far-off size. */
export async function loadInputPair(paths: PairPaths, options: LoadPairOptions): Promise<LoadedPair> {
  const missing = MODALITIES.filter((m) => !paths[m]);
  if (missing.length > 0) {
    const given = MODALITIES.filter((m) => paths[m]);
    throw new InferenceInputError(
      `The ${missing.map((m) => MODALITY_TITLES[m]).join(' and ')} image is missing: the model reads a BMUS and a CEUS image of the same tumour together` +
        (given.length ? ` (only --${given[0]} was given)` : '') +
        `. Give both (--bmus <file> --ceus <file>).`,
      missing[0],
      null,
    );
  }
  const warnings: string[] = [];
  const load = async (modality: Modality): Promise<LoadedImage> => {
    const path = paths[modality] as string;
    const inspected = await inspectImage(path, DEFAULT_VALIDATION_LIMITS);
    if (!inspected.ok) {
      throw new InferenceInputError(`${MODALITY_TITLES[modality]} image: ${inspected.problem.message} Expected ${inspected.problem.expected}.`, modality, path);
    }
    warnings.push(...sizeWarnings(modality, path, inspected.image, options));
    const pixels = await loadImage(path, { size: options.size, normalization: 'unit', cache: null });
    return { path, source: inspected.image, pixels };
  };
  const bmus = await load('bmus');
  const ceus = await load('ceus');
  if (bmus.source.sha256 === ceus.source.sha256) {
    warnings.push(`The BMUS and CEUS files are the same image (${basename(bmus.path)}): the model expects two modalities of one tumour.`);
  }
  return { size: options.size, bmus, ceus, warnings };
}

function sizeWarnings(modality: Modality, path: string, image: InspectedImage, options: LoadPairOptions): string[] {
  const tolerance = options.sizeTolerance ?? 2;
  const name = `${MODALITY_TITLES[modality]} image ${basename(path)} (${image.width}×${image.height})`;
  const out: string[] = [];
  const reference = options.reference;
  if (reference) {
    const ratios = [image.width / reference.width, image.height / reference.height];
    if (ratios.some((r) => r > tolerance || r < 1 / tolerance)) {
      out.push(
        `${name} is far from the training images' size (${reference.width}×${reference.height}): structures appear at another scale after resizing to ${options.size}×${options.size}, so the prediction may not be reliable.`,
      );
    }
  }
  if (Math.min(image.width, image.height) < options.size) {
    out.push(`${name} is smaller than the model's input (${options.size}×${options.size}) and is enlarged: fine detail is interpolated, not seen.`);
  }
  const aspect = Math.max(image.width, image.height) / Math.min(image.width, image.height);
  if (aspect > 1.5) out.push(`${name} has an aspect ratio of ${aspect.toFixed(2)}:1; it is stretched to a square as in training, which distorts shapes.`);
  return out;
}
