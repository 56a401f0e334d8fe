// Real files for the tests: PNG/JPEG images drawn with sharp, crafted PNG headers and DICOM
// files, and manifests. Everything goes into a fresh temporary folder per test.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { CLINICAL_PARAMETERS } from '@ovus/domain';
import { MANIFEST_COLUMNS } from '../src/manifest/columns';

export async function makeTempDir(prefix = 'ovus-data-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A grey picture whose content depends on `variant`, so distinct variants have distinct bytes. */
export function greyPixels(width: number, height: number, variant: number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 3 + y * 5 + variant * 37 + ((x * y) % (7 + variant))) & 0xff;
  }
  return pixels;
}

async function ensureDir(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
}

export async function writePng(path: string, options: { width?: number; height?: number; variant?: number } = {}): Promise<Buffer> {
  const { width = 48, height = 40, variant = 0 } = options;
  const bytes = await sharp(greyPixels(width, height, variant), { raw: { width, height, channels: 1 } }).png().toBuffer();
  await ensureDir(path);
  await writeFile(path, bytes);
  return bytes;
}

export async function writeJpeg(path: string, options: { width?: number; height?: number; variant?: number } = {}): Promise<Buffer> {
  const { width = 48, height = 40, variant = 0 } = options;
  const bytes = await sharp(greyPixels(width, height, variant), { raw: { width, height, channels: 1 } }).jpeg().toBuffer();
  await ensureDir(path);
  await writeFile(path, bytes);
  return bytes;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A tiny PNG whose IHDR (with a correct CRC) claims width x height 8-bit grey pixels; its IDAT
 * holds only a few rows. A decoder that trusted the header would allocate width*height bytes.
 */
export async function writePngBomb(path: string, width: number, height: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * 4); // filter byte + zero pixels, 4 rows
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  await ensureDir(path);
  await writeFile(path, bytes);
  return bytes;
}

function dicomElement(group: number, element: number, vr: string, value: Buffer): Buffer {
  const padded = value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
  const long = vr === 'OB' || vr === 'OW';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(element, 2);
  header.write(vr, 4, 'ascii');
  if (long) header.writeUInt32LE(padded.length, 8);
  else header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, padded]);
}

const us = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

/** An uncompressed explicit-VR little-endian MONOCHROME2 DICOM file with 8- or 16-bit samples. */
export async function writeDicom(
  path: string,
  options: { width?: number; height?: number; bits?: 8 | 16; transferSyntax?: string; truncate?: boolean } = {},
): Promise<void> {
  const { width = 40, height = 32, bits = 16, transferSyntax = '1.2.840.10008.1.2.1' } = options;
  const meta = dicomElement(0x0002, 0x0010, 'UI', Buffer.from(transferSyntax, 'ascii'));
  const groupLength = dicomElement(0x0002, 0x0000, 'UL', (() => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(meta.length);
    return b;
  })());
  const pixels = Buffer.alloc(width * height * (bits / 8));
  for (let i = 0; i < width * height; i++) {
    const value = (i * 13) % (bits === 16 ? 4096 : 256);
    if (bits === 16) pixels.writeUInt16LE(value, i * 2);
    else pixels[i] = value;
  }
  const dataset = Buffer.concat([
    dicomElement(0x0028, 0x0002, 'US', us(1)),
    dicomElement(0x0028, 0x0004, 'CS', Buffer.from('MONOCHROME2', 'ascii')),
    dicomElement(0x0028, 0x0010, 'US', us(height)),
    dicomElement(0x0028, 0x0011, 'US', us(width)),
    dicomElement(0x0028, 0x0100, 'US', us(bits)),
    dicomElement(0x0028, 0x0101, 'US', us(bits === 16 ? 12 : 8)),
    dicomElement(0x0028, 0x0102, 'US', us(bits === 16 ? 11 : 7)),
    dicomElement(0x0028, 0x0103, 'US', us(0)),
    dicomElement(0x7fe0, 0x0010, bits === 16 ? 'OW' : 'OB', pixels),
  ]);
  let bytes = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'ascii'), groupLength, meta, dataset]);
  if (options.truncate) bytes = bytes.subarray(0, bytes.length - Math.floor(pixels.length / 2));
  await ensureDir(path);
  await writeFile(path, bytes);
}

export type ManifestRowInput = Record<string, string | number | null>;

/** A valid row for case n: images/c{n}_bmus.png and images/c{n}_ceus.png, patient p{n}. */
export function validRow(n: number, overrides: ManifestRowInput = {}): ManifestRowInput {
  return {
    case_id: `c${n}`,
    patient_id: `p${n}`,
    bmus_path: `images/c${n}_bmus.png`,
    ceus_path: `images/c${n}_ceus.png`,
    ...Object.fromEntries(CLINICAL_PARAMETERS.map((p) => [p, 0])),
    malignancy: n % 2,
    ...overrides,
  };
}

/** Writes the two PNGs that validRow(n) names, with distinct content. */
export async function writeCaseImages(dir: string, n: number, size = { width: 48, height: 40 }): Promise<void> {
  await writePng(join(dir, `images/c${n}_bmus.png`), { ...size, variant: 2 * n });
  await writePng(join(dir, `images/c${n}_ceus.png`), { ...size, variant: 2 * n + 1 });
}

export async function writeCsvManifest(path: string, rows: ManifestRowInput[], columns: readonly string[] = MANIFEST_COLUMNS): Promise<void> {
  const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const text = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
  await ensureDir(path);
  await writeFile(path, text);
}

export async function writeJsonlManifest(path: string, rows: ManifestRowInput[]): Promise<void> {
  await ensureDir(path);
  await writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** A complete valid dataset of `count` cases (CSV) in dir; returns the manifest path. */
export async function writeValidDataset(dir: string, count: number, rowOverrides: (n: number) => ManifestRowInput = () => ({})): Promise<string> {
  const rows: ManifestRowInput[] = [];
  for (let n = 1; n <= count; n++) {
    await writeCaseImages(dir, n);
    rows.push(validRow(n, rowOverrides(n)));
  }
  const manifest = join(dir, 'manifest.csv');
  await writeCsvManifest(manifest, rows);
  return manifest;
}
