// A saliency map drawn over its image as a PNG (sharp encodes): the image in grey, the map in a
// blue→red heat scale whose opacity grows with the map, so that unremarkable regions stay
// readable. The colour scale is a five-stop table interpolated by hand: sharp has no colour maps.
import sharp from 'sharp';

const STOPS: readonly [number, number, number, number][] = [
  [0, 0, 0, 160],
  [0.25, 0, 170, 255],
  [0.5, 40, 220, 60],
  [0.75, 255, 220, 0],
  [1, 230, 20, 20],
];

export function heatColour(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, r1, g1, b1] = STOPS[i];
    const [t0, r0, g0, b0] = STOPS[i - 1];
    if (v <= t1) {
      const f = (v - t0) / (t1 - t0);
      return [r0 + f * (r1 - r0), g0 + f * (g1 - g0), b0 + f * (b1 - b0)];
    }
  }
  return [STOPS[STOPS.length - 1][1], STOPS[STOPS.length - 1][2], STOPS[STOPS.length - 1][3]];
}

export interface OverlayOptions {
  /** Largest opacity of the heat map (at map value 1). Default 0.6. */
  opacity?: number;
  /**
   * Width × height of the PNG, when not side × side: the model saw the input stretched to a square
   * ('fill'), so stretching the square overlay back gives the picture at the input's own aspect.
   */
  output?: { width: number; height: number };
}

/**
 * `image`: HWC RGB in [0, 1], side × side (decode the file at the display size with the training
 * resize, so map and picture line up). `map`: mapSize × mapSize in [0, 1]; resized to side here.
 */
export async function renderOverlay(image: Float32Array, side: number, map: Float32Array, mapSize: number, options: OverlayOptions = {}): Promise<Buffer> {
  if (image.length !== side * side * 3) throw new RangeError(`The image has ${image.length} values, not ${side}×${side}×3.`);
  if (map.length !== mapSize * mapSize) throw new RangeError(`The map has ${map.length} values, not ${mapSize}×${mapSize}.`);
  const opacity = options.opacity ?? 0.6;
  const mapBytes = Buffer.from(Array.from(map, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  // sharp may hand a one-channel raw image back with more channels after resizing: keep the first.
  const resized =
    mapSize === side
      ? mapBytes
      : await sharp(mapBytes, { raw: { width: mapSize, height: mapSize, channels: 1 } })
          .resize(side, side, { kernel: 'cubic', fit: 'fill' })
          .extractChannel(0)
          .raw()
          .toBuffer();
  if (resized.length !== side * side) throw new Error(`Resized map has ${resized.length} values, expected ${side * side}.`);
  const out = Buffer.alloc(side * side * 3);
  for (let p = 0; p < side * side; p++) {
    const grey = (image[p * 3] * 0.299 + image[p * 3 + 1] * 0.587 + image[p * 3 + 2] * 0.114) * 255;
    const m = resized[p] / 255;
    const [r, g, b] = heatColour(m);
    const alpha = opacity * Math.sqrt(m);
    out[p * 3] = Math.round(grey * (1 - alpha) + r * alpha);
    out[p * 3 + 1] = Math.round(grey * (1 - alpha) + g * alpha);
    out[p * 3 + 2] = Math.round(grey * (1 - alpha) + b * alpha);
  }
  const picture = sharp(out, { raw: { width: side, height: side, channels: 3 } });
  const size = options.output;
  if (size && (size.width !== side || size.height !== side)) picture.resize(size.width, size.height, { kernel: 'cubic', fit: 'fill' });
  return picture.png().toBuffer();
}

/** Share of the map's total mass that falls where `mask` is true (same size). NaN for an all-zero map. */
export function massInside(map: Float32Array, mask: ArrayLike<number | boolean>): number {
  let inside = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) {
    total += map[i];
    if (mask[i]) inside += map[i];
  }
  return total > 0 ? inside / total : Number.NaN;
}

/**
 * massInside at the map's own resolution: `cells` is a grid[0] × grid[1] map (SaliencyMap.cells),
 * `mask` is size × size; each cell's value counts inside by the share of its pixels the mask
 * covers. A cell says only "somewhere here", so this neither credits nor blames the map for where
 * bilinear upsampling puts its mass. NaN for an all-zero map.
 */
export function massInsideCells(cells: Float32Array, grid: readonly [number, number], mask: ArrayLike<number | boolean>, size: number): number {
  const [rows, cols] = grid;
  if (cells.length !== rows * cols) throw new RangeError(`The map has ${cells.length} cells, not ${rows}×${cols}.`);
  if (mask.length !== size * size) throw new RangeError(`The mask has ${mask.length} values, not ${size}×${size}.`);
  if (size % rows !== 0 || size % cols !== 0) throw new RangeError(`A ${size} px mask does not split into ${rows}×${cols} equal cells.`);
  const ch = size / rows;
  const cw = size / cols;
  let inside = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const value = cells[r * cols + c];
      if (value <= 0) continue;
      let covered = 0;
      for (let y = r * ch; y < (r + 1) * ch; y++) for (let x = c * cw; x < (c + 1) * cw; x++) if (mask[y * size + x]) covered++;
      total += value;
      inside += (value * covered) / (ch * cw);
    }
  }
  return total > 0 ? inside / total : Number.NaN;
}
