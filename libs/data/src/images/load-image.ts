// Decoding and resizing with sharp into the models' input layout: Float32Array, height x width x 3
// (RGB, row-major, channels last), grey images replicated into the three channels.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { sha256Hex } from '../hash';
import type { CaseRecord } from '../types';
import { DEFAULT_MAX_PIXELS, openImage } from './decode';
import { detectFormat, FORMAT_NAMES, type ImageFormat } from './formats';
import { defaultImageCache, ImageCache } from './image-cache';
import { normalizeImage, type Normalization } from './normalize';

export type ResizeFit = 'fill' | 'contain';

export interface LoadImageOptions {
  /** Output is size x size. */
  size: number;
  /** Default 'imagenet' (see normalize.ts). */
  normalization?: Normalization;
  /**
   * 'fill' (default) stretches to a square, as the paper's models were fed; 'contain' keeps the
   * aspect ratio and pads with black (the ultrasound background).
   */
  fit?: ResizeFit;
  /** Cache of decoded images; default the shared one, null for none. */
  cache?: ImageCache | null;
  maxPixels?: number;
}

function assertSize(size: number): void {
  if (!Number.isInteger(size) || size < 8 || size > 2048) {
    throw new RangeError(`Image size must be an integer between 8 and 2048, got ${size}.`);
  }
}

/** Decodes file bytes to HWC RGB in [0, 1] at size x size. */
export async function decodeToUnitRgb(bytes: Uint8Array, size: number, fit: ResizeFit, maxPixels: number, where: string): Promise<Float32Array> {
  const format = detectFormat(bytes);
  if (format !== 'png' && format !== 'jpeg' && format !== 'dicom') {
    throw new Error(`${where}: ${FORMAT_NAMES[format]} images are not supported (PNG, JPEG or DICOM are).`);
  }
  const { pipeline } = await openImage(bytes, format as ImageFormat, maxPixels);
  const { data, info } = await pipeline
    .resize(size, size, { fit, background: { r: 0, g: 0, b: 0, alpha: 1 } })
    .removeAlpha()
    .raw({ depth: 'uchar' }) // 16-bit PNGs too: ultrasound frames carry 8 bits of signal
    .toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  const pixels = size * size;
  const scale = 1 / 255;
  const samples = data;
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const source = p * channels;
    const grey = channels < 3;
    out[p * 3] = samples[source] * scale;
    out[p * 3 + 1] = samples[grey ? source : source + 1] * scale;
    out[p * 3 + 2] = samples[grey ? source : source + 2] * scale;
  }
  return out;
}

async function loadUnit(
  absolutePath: string,
  size: number,
  options: LoadImageOptions,
  expectedSha256?: string,
): Promise<Float32Array> {
  const fit = options.fit ?? 'fill';
  const cache = options.cache === undefined ? defaultImageCache : options.cache;
  if (expectedSha256 && cache) {
    const hit = cache.get(ImageCache.key(expectedSha256, size, fit));
    if (hit) return hit;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(absolutePath);
  } catch (error) {
    throw new Error(`Cannot read image '${absolutePath}': ${(error as Error).message}.`);
  }
  const sha256 = sha256Hex(bytes);
  if (expectedSha256 && sha256 !== expectedSha256) {
    throw new Error(
      `Image '${absolutePath}' has changed since the dataset was validated (sha256 ${sha256.slice(0, 12)}…, ` +
        `expected ${expectedSha256.slice(0, 12)}…). Re-import the dataset to create a new version.`,
    );
  }
  const key = ImageCache.key(sha256, size, fit);
  if (!expectedSha256 && cache) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const unit = await decodeToUnitRgb(bytes, size, fit, options.maxPixels ?? DEFAULT_MAX_PIXELS, absolutePath);
  cache?.set(key, unit);
  return unit;
}

/** One image as Float32Array HWC RGB (size x size x 3), normalised. Always a fresh array. */
export async function loadImage(path: string, options: LoadImageOptions): Promise<Float32Array> {
  assertSize(options.size);
  const unit = await loadUnit(path, options.size, options);
  return normalizeImage(unit, options.normalization ?? 'imagenet');
}

export interface ImagePair {
  bmus: Float32Array;
  ceus: Float32Array;
}

export function resolveCasePath(rootDir: string, path: string): string {
  return isAbsolute(path) ? path : join(rootDir, path);
}

/** Both images of a case in [0, 1], from the cache when possible (keyed by the record's sha256). */
export async function loadCasePairUnit(rootDir: string, record: CaseRecord, options: LoadImageOptions): Promise<ImagePair> {
  assertSize(options.size);
  const [bmus, ceus] = await Promise.all([
    loadUnit(resolveCasePath(rootDir, record.bmusPath), options.size, options, record.bmusSha256),
    loadUnit(resolveCasePath(rootDir, record.ceusPath), options.size, options, record.ceusSha256),
  ]);
  return { bmus, ceus };
}

/** Both images of a case, normalised. Fresh arrays (the cache keeps its own). */
export async function loadCasePair(rootDir: string, record: CaseRecord, options: LoadImageOptions): Promise<ImagePair> {
  const unit = await loadCasePairUnit(rootDir, record, options);
  const normalization = options.normalization ?? 'imagenet';
  return { bmus: normalizeImage(unit.bmus, normalization), ceus: normalizeImage(unit.ceus, normalization) };
}
