// Which image formats are accepted, told apart by their first bytes (never by name alone): a JPEG
// renamed .png decodes fine in most viewers but says the export went wrong somewhere.
import { extname } from 'node:path';

export type ImageFormat = 'png' | 'jpeg' | 'dicom';
export type DetectedFormat = ImageFormat | 'gif' | 'webp' | 'bmp' | 'tiff' | 'unknown';

export const FORMAT_EXTENSIONS: Readonly<Record<ImageFormat, readonly string[]>> = {
  png: ['.png'],
  jpeg: ['.jpg', '.jpeg'],
  dicom: ['.dcm', '.dicom'],
};

export const FORMAT_NAMES: Readonly<Record<DetectedFormat, string>> = {
  png: 'PNG',
  jpeg: 'JPEG',
  dicom: 'DICOM',
  gif: 'GIF',
  webp: 'WebP',
  bmp: 'BMP',
  tiff: 'TIFF',
  unknown: 'not a recognised image format',
};

export function formatFromExtension(path: string): ImageFormat | null {
  const ext = extname(path).toLowerCase();
  for (const [format, extensions] of Object.entries(FORMAT_EXTENSIONS)) {
    if (extensions.includes(ext)) return format as ImageFormat;
  }
  return null;
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

export function detectFormat(bytes: Uint8Array): DetectedFormat {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // DICOM Part 10: a 128-byte preamble, then "DICM".
  if (startsWith(bytes, [0x44, 0x49, 0x43, 0x4d], 128)) return 'dicom';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x42, 0x4d])) return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  return 'unknown';
}
