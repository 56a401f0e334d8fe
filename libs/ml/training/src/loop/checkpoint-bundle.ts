// One byte string for a checkpoint folder, so it can be stored as a single artifact (one write:
// a reader never sees half a checkpoint) and unpacked on another host. Hand-written rather than
// tar: the folder is flat and small in file count, and no archive package is a dependency here.
//   "OVUSBNDL" | u32 LE header length | header JSON { version, files: [{ name, bytes, sha256 }] } | file bytes…
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = Buffer.from('OVUSBNDL', 'ascii');

interface BundleHeader {
  version: 1;
  files: { name: string; bytes: number; sha256: string }[];
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Every file directly inside `folder` (sorted by name; sub-folders are refused). */
export async function packFolder(folder: string): Promise<Buffer> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const nested = entries.filter((e) => !e.isFile());
  if (nested.length > 0) throw new Error(`packFolder(${folder}): only plain files can be bundled; found ${nested.map((e) => e.name).join(', ')}.`);
  const contents = await Promise.all(entries.map((e) => readFile(join(folder, e.name))));
  const header: BundleHeader = {
    version: 1,
    files: entries.map((e, i) => ({ name: e.name, bytes: contents[i].length, sha256: sha256(contents[i]) })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return Buffer.concat([MAGIC, length, headerBytes, ...contents]);
}

/** Writes the bundle's files into `folder` (created if needed), checking each file's sha256. */
export async function unpackBundle(bundle: Uint8Array, folder: string): Promise<string[]> {
  const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) throw new Error('Not an ovus checkpoint bundle (bad magic bytes).');
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as BundleHeader;
  if (header.version !== 1 || !Array.isArray(header.files)) throw new Error(`Unknown checkpoint bundle version ${String(header.version)}.`);
  await mkdir(folder, { recursive: true });
  let offset = 12 + headerLength;
  for (const file of header.files) {
    if (!/^[\w.-]+$/.test(file.name) || file.name.startsWith('.')) throw new Error(`Checkpoint bundle holds a file with an unsafe name '${file.name}'.`);
    const data = bytes.subarray(offset, offset + file.bytes);
    if (data.length !== file.bytes || sha256(data) !== file.sha256) {
      throw new Error(`Checkpoint bundle is damaged: '${file.name}' does not match its recorded size or sha256.`);
    }
    await writeFile(join(folder, file.name), data);
    offset += file.bytes;
  }
  return header.files.map((f) => f.name);
}
