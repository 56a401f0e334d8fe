// DICOM support for what ultrasound machines export most simply: uncompressed, single-sample
// (monochrome) pixel data. dicom-parser reads the tags; turning 8/16-bit samples into an 8-bit
// picture (rescale, window or min-max, MONOCHROME1 inversion) is done here because no library in
// the dependency set does it without a browser.
import * as dicomParserModule from 'dicom-parser';

// dicom-parser is a UMD bundle: Node's ESM loader exposes it only as the default export, while its
// type declarations describe named exports. Take whichever the loader gave.
const dicomParser: typeof dicomParserModule =
  (dicomParserModule as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

const UNCOMPRESSED_LITTLE_ENDIAN = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

export class DicomError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'unsupported',
  ) {
    super(message);
  }
}

export interface DicomHeader {
  width: number;
  height: number;
}

interface ParsedDicom extends DicomHeader {
  dataSet: dicomParserModule.DataSet;
}

function parse(bytes: Uint8Array): ParsedDicom {
  let dataSet: dicomParserModule.DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes);
  } catch (error) {
    // dicom-parser throws strings as well as Errors.
    const reason = error instanceof Error ? error.message : String(error);
    throw new DicomError(`the DICOM file cannot be parsed (${reason})`, 'corrupt');
  }
  const syntax = dataSet.string('x00020010')?.trim() ?? '';
  if (!UNCOMPRESSED_LITTLE_ENDIAN.has(syntax)) {
    throw new DicomError(
      `DICOM transfer syntax '${syntax || 'missing'}' is not supported; only uncompressed little-endian ` +
        '(1.2.840.10008.1.2 or 1.2.840.10008.1.2.1) is read. Export the image as PNG instead',
      'unsupported',
    );
  }
  const samples = dataSet.uint16('x00280002') ?? 1;
  const photometric = dataSet.string('x00280004')?.trim() ?? 'MONOCHROME2';
  if (samples !== 1 || !photometric.startsWith('MONOCHROME')) {
    throw new DicomError(
      `DICOM photometric interpretation '${photometric}' with ${samples} samples per pixel is not supported; ` +
        'only MONOCHROME1/MONOCHROME2 is read. Export the image as PNG instead',
      'unsupported',
    );
  }
  const height = dataSet.uint16('x00280010');
  const width = dataSet.uint16('x00280011');
  if (!width || !height) throw new DicomError('the DICOM file has no Rows/Columns', 'corrupt');
  return { dataSet, width, height };
}

/** Reads only what is needed to know the image's size (no pixel conversion). */
export function readDicomHeader(bytes: Uint8Array): DicomHeader {
  const { width, height } = parse(bytes);
  return { width, height };
}

/** The first frame as 8-bit grey, row-major. */
export function decodeDicomToGray8(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const { dataSet, width, height } = parse(bytes);
  const bitsAllocated = dataSet.uint16('x00280100') ?? 8;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new DicomError(`DICOM with ${bitsAllocated} bits allocated is not supported (8 or 16 are)`, 'unsupported');
  }
  const signed = dataSet.uint16('x00280103') === 1;
  const pixelElement = dataSet.elements.x7fe00010;
  if (!pixelElement) throw new DicomError('the DICOM file has no pixel data', 'corrupt');
  const count = width * height;
  const bytesPerSample = bitsAllocated / 8;
  if (pixelElement.dataOffset + count * bytesPerSample > bytes.length) {
    throw new DicomError(
      `the DICOM pixel data is truncated: ${width}x${height} needs ${count * bytesPerSample} bytes`,
      'corrupt',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + pixelElement.dataOffset, count * bytesPerSample);
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const raw =
      bitsAllocated === 8
        ? signed
          ? view.getInt8(i)
          : view.getUint8(i)
        : signed
          ? view.getInt16(i * 2, true)
          : view.getUint16(i * 2, true);
    values[i] = raw * slope + intercept;
  }
  const [low, high] = displayRange(dataSet, values);
  const invert = dataSet.string('x00280004')?.trim() === 'MONOCHROME1';
  const pixels = new Uint8Array(count);
  const scale = high > low ? 255 / (high - low) : 0;
  for (let i = 0; i < count; i++) {
    const v = Math.min(255, Math.max(0, Math.round((values[i] - low) * scale)));
    pixels[i] = invert ? 255 - v : v;
  }
  return { width, height, pixels };
}

/** The stored window if there is one, else the full range of the values. */
function displayRange(dataSet: dicomParserModule.DataSet, values: Float64Array): [number, number] {
  const center = dataSet.floatString('x00281050');
  const width = dataSet.floatString('x00281051');
  if (center !== undefined && width !== undefined && width > 0) return [center - width / 2, center + width / 2];
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}
