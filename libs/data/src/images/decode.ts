// From file bytes to a sharp pipeline, with the pixel limit applied BEFORE any decoding: a
// decompression bomb (a small file that claims 20000x20000 pixels) is refused from its header.
import sharp, { type Sharp } from 'sharp';
import { decodeDicomToGray8, readDicomHeader } from './dicom';
import type { ImageFormat } from './formats';

/** Default refusal threshold: far above any ultrasound frame, far below what exhausts memory. */
export const DEFAULT_MAX_PIXELS = 40_000_000;

export class ImageTooLargeError extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(
      `the image claims ${width}x${height} = ${(width * height).toLocaleString('en-US')} pixels, over the limit of ` +
        `${maxPixels.toLocaleString('en-US')}; it was not decoded (possible decompression bomb)`,
    );
  }
}

export interface ImageHeader {
  width: number;
  height: number;
}

/** Width and height from the header only. Throws if the header cannot be read. */
export async function readImageHeader(bytes: Uint8Array, format: ImageFormat): Promise<ImageHeader> {
  if (format === 'dicom') return readDicomHeader(bytes);
  // limitInputPixels: false lets sharp report the claimed size instead of refusing to say; the
  // caller compares it with its own limit. metadata() reads the header, never the pixel data.
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (!meta.width || !meta.height) throw new Error('the image header has no width/height');
  return { width: meta.width, height: meta.height };
}

/**
 * A sharp pipeline over the image, after checking its header against maxPixels. Decoding errors
 * (truncated or corrupt data) surface when the pipeline is run, because failOn: 'error' makes
 * libvips stop instead of returning a partly grey picture.
 */
export async function openImage(
  bytes: Uint8Array,
  format: ImageFormat,
  maxPixels: number,
): Promise<ImageHeader & { pipeline: Sharp }> {
  const { width, height } = await readImageHeader(bytes, format);
  if (width * height > maxPixels) throw new ImageTooLargeError(width, height, maxPixels);
  if (format === 'dicom') {
    const gray = decodeDicomToGray8(bytes);
    return { width, height, pipeline: sharp(gray.pixels, { raw: { width, height, channels: 1 } }) };
  }
  return { width, height, pipeline: sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }) };
}
