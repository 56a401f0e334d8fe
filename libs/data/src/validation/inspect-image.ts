// Everything that can be wrong with one image file, found by reading it completely: existence,
// readability, size, the format its bytes say against the format its name says, a header that
// claims too many pixels, and a full decode (a truncated PNG only fails when decoded to the end).
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { sha256Hex } from '../hash';
import { DicomError } from '../images/dicom';
import { ImageTooLargeError, openImage } from '../images/decode';
import { detectFormat, FORMAT_EXTENSIONS, FORMAT_NAMES, formatFromExtension, type ImageFormat } from '../images/formats';
import type { IssueCode } from './issues';

export interface ImageLimits {
  /** Refuse images whose header claims more pixels than this (never decoded). */
  maxPixels: number;
  /** Refuse files larger than this many bytes (never read). */
  maxFileBytes: number;
}

export interface InspectedImage {
  sha256: string;
  format: ImageFormat;
  width: number;
  height: number;
}

export type ImageProblem = { code: IssueCode; message: string; expected: string };

export type ImageInspection = { ok: true; image: InspectedImage } | { ok: false; problem: ImageProblem };

const ACCEPTED = Object.values(FORMAT_EXTENSIONS).flat().join(', ');

function fail(code: IssueCode, message: string, expected: string): ImageInspection {
  return { ok: false, problem: { code, message, expected } };
}

export async function inspectImage(absolutePath: string, limits: ImageLimits): Promise<ImageInspection> {
  const declared = formatFromExtension(absolutePath);
  if (declared === null) {
    return fail(
      'image-unsupported',
      `'${extname(absolutePath) || '(no extension)'}' is not an accepted image extension.`,
      `a file ending in ${ACCEPTED}`,
    );
  }

  let size: number;
  try {
    const info = await stat(absolutePath);
    if (!info.isFile()) {
      return fail('image-unreadable', `'${absolutePath}' is not a regular file (a directory or device).`, 'an image file');
    }
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return fail('image-missing', `No file at '${absolutePath}'.`, 'an existing file; paths are relative to the dataset root (the manifest\'s folder unless rootDir is given)');
    }
    return fail('image-unreadable', `Cannot access '${absolutePath}': ${(error as Error).message}.`, 'a readable file (check permissions)');
  }
  if (size === 0) return fail('image-empty', `'${absolutePath}' is empty (0 bytes).`, 'a complete image file; re-export or re-copy it');
  if (size > limits.maxFileBytes) {
    return fail(
      'image-too-large',
      `'${absolutePath}' is ${size} bytes, over the ${limits.maxFileBytes}-byte limit; it was not read.`,
      'a smaller file, or raise limits.maxFileBytes',
    );
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(absolutePath);
  } catch (error) {
    return fail('image-unreadable', `Cannot read '${absolutePath}': ${(error as Error).message}.`, 'a readable file (check permissions)');
  }

  const actual = detectFormat(bytes);
  if (actual !== declared) {
    if (actual === 'unknown') {
      return fail(
        'image-corrupt',
        `'${absolutePath}' does not start like a ${FORMAT_NAMES[declared]} file (first bytes ${bytes.subarray(0, 8).toString('hex')}).`,
        `a valid ${FORMAT_NAMES[declared]} file; re-export it`,
      );
    }
    const fix =
      actual in FORMAT_EXTENSIONS
        ? `rename it to ${FORMAT_EXTENSIONS[actual as ImageFormat][0]} (and update the manifest) or re-export it as ${FORMAT_NAMES[declared]}`
        : `convert it to PNG`;
    return fail(
      'image-format-mismatch',
      `The file's content is ${FORMAT_NAMES[actual]} but its extension says ${FORMAT_NAMES[declared]}.`,
      fix,
    );
  }

  try {
    const { pipeline, width, height } = await openImage(bytes, declared, limits.maxPixels);
    await pipeline.raw().toBuffer(); // decode every pixel: truncation and corruption show up here
    return { ok: true, image: { sha256: sha256Hex(bytes), format: declared, width, height } };
  } catch (error) {
    if (error instanceof ImageTooLargeError) {
      return fail('image-too-large', `'${absolutePath}': ${error.message}.`, `at most ${limits.maxPixels} pixels, or raise limits.maxPixels if the image is genuine`);
    }
    if (error instanceof DicomError && error.kind === 'unsupported') {
      return fail('image-unsupported', `'${absolutePath}': ${error.message}.`, 'an uncompressed monochrome DICOM, PNG or JPEG');
    }
    return fail(
      'image-corrupt',
      `'${absolutePath}' cannot be decoded: ${(error as Error).message}. The file is corrupt or truncated (an interrupted copy?).`,
      `a complete ${FORMAT_NAMES[declared]} file; copy or export it again`,
    );
  }
}
