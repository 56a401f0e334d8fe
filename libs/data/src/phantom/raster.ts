// Small raster helpers for the phantom, on Float32Array images (row-major, one channel).
import { nextBetween, type Rng } from '../random';

export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * Smooth random texture in [-1, 1]: random values on a coarse grid of `cells` x `cells`,
 * interpolated with smoothstep weights. Cheap stand-in for tissue inhomogeneity.
 */
export function valueNoise(size: number, cells: number, rng: Rng): Float32Array {
  const n = cells + 2;
  const grid = new Float32Array(n * n);
  for (let i = 0; i < grid.length; i++) grid[i] = nextBetween(rng, -1, 1);
  // Cell index and smoothed weight per column, computed once (the same for every row).
  const step = cells / size;
  const column = new Int32Array(size);
  const weight = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    column[x] = Math.floor(x * step);
    weight[x] = smoothstep(0, 1, x * step - column[x]);
  }
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const y0 = column[y];
    const fy = weight[y];
    const top = y0 * n;
    const bottom = top + n;
    for (let x = 0; x < size; x++) {
      const x0 = column[x];
      const fx = weight[x];
      const upper = grid[top + x0] + (grid[top + x0 + 1] - grid[top + x0]) * fx;
      const lower = grid[bottom + x0] + (grid[bottom + x0 + 1] - grid[bottom + x0]) * fx;
      out[y * size + x] = upper + (lower - upper) * fy;
    }
  }
  return out;
}

const RAYLEIGH_BITS = 12;

/** Rayleigh quantiles with mean 1, looked up per pixel instead of taking a logarithm. */
const RAYLEIGH_TABLE = (() => {
  const count = 1 << RAYLEIGH_BITS;
  const mean = Math.sqrt(Math.PI / 2);
  return Float32Array.from({ length: count }, (_, k) => Math.sqrt(-2 * Math.log(1 - (k + 0.5) / count)) / mean);
})();

/**
 * Multiplicative speckle with mean 1: Rayleigh-distributed amplitudes (what fully developed
 * ultrasound speckle follows), smoothed more across than down so grains are wider than tall, as
 * in B-mode images.
 */
export function speckleField(size: number, rng: Rng): Float32Array {
  const raw = new Float32Array(size * size);
  const shift = 32 - RAYLEIGH_BITS;
  for (let i = 0; i < raw.length; i++) raw[i] = RAYLEIGH_TABLE[rng.next() >>> shift];
  // Horizontal [1 2 2 2 1]/8 then vertical [1 2 1]/4 blur (edges clamped).
  const h = new Float32Array(raw.length);
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) {
      const m2 = raw[row + (x > 1 ? x - 2 : 0)];
      const m1 = raw[row + (x > 0 ? x - 1 : 0)];
      const p1 = raw[row + (x < last ? x + 1 : last)];
      const p2 = raw[row + (x < last - 1 ? x + 2 : last)];
      h[row + x] = (m2 + 2 * m1 + 2 * raw[row + x] + 2 * p1 + p2) * 0.125;
    }
  }
  const out = new Float32Array(raw.length);
  for (let y = 0; y < size; y++) {
    const up = (y > 0 ? y - 1 : 0) * size;
    const down = (y < last ? y + 1 : last) * size;
    const row = y * size;
    for (let x = 0; x < size; x++) out[row + x] = (h[up + x] + 2 * h[row + x] + h[down + x]) * 0.25;
  }
  // Blurring shrinks the spread; stretch it back around the mean so the grain stays contrasted.
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, 1 + (out[i] - 1) * 1.9);
  return out;
}

/** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy || 1)));
  const dx = px - (ax + t * vx);
  const dy = py - (ay + t * vy);
  return Math.sqrt(dx * dx + dy * dy);
}

export function toUint8(image: Float32Array): Uint8Array {
  const out = new Uint8Array(image.length);
  for (let i = 0; i < image.length; i++) {
    const v = image[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : (v * 255 + 0.5) | 0;
  }
  return out;
}
