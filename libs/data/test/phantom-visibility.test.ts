// The phantom's cues must survive the 64 px input of a small model: each finding is sized in
// pixels at 64 px, shows in the picture after shrinking it, and an unclear boundary is blurred
// where a clear one is a step. (Whether a model learns them is measured by the bench
// tools/bench/src/phantom-learnability.ts, not here.)
import { describe, expect, it } from 'vitest';
import type { ClinicalParameter } from '@ovus/domain';
import { deriveRng } from '../src/random';
import { renderScene } from '../src/phantom/render';
import { boundaryPoint, drawScene, outlineRadius, type Scene } from '../src/phantom/scene';

const base: Record<ClinicalParameter, number> = {
  blood_flow: 0,
  boundary: 0,
  echogenicity: 0,
  morphology: 0,
  papillary: 0,
  septation: 0,
  solid: 0,
};
const RENDER = 256;
const MODEL = 64;
/** Pixels at 64 px per pixel of the rendered picture. */
const SCALE = MODEL / RENDER;

/** Box-filter shrink by an integer factor, as an area-averaging resize does. */
function shrink(image: Uint8Array, size: number, factor: number): Float32Array {
  const out = new Float32Array((size / factor) ** 2);
  const small = size / factor;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out[Math.floor(y / factor) * small + Math.floor(x / factor)] += image[y * size + x] / (factor * factor);
  }
  return out;
}

function scenes(labels: Record<ClinicalParameter, number>, count: number, stream = 'visibility'): { scene: Scene; seed: number }[] {
  return Array.from({ length: count }, (_, seed) => ({ scene: drawScene(labels, RENDER, deriveRng(seed, stream)), seed }));
}

/** Mean of the 64 px BMUS inside the tumour's central disc (share of its shorter semi-axis), over seeds. */
function meanInside64(labels: Record<ClinicalParameter, number>, radiusShare: number, seeds = 10): number {
  let total = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const rng = deriveRng(seed, 'visibility');
    const scene = drawScene(labels, RENDER, rng);
    const image = shrink(renderScene(scene, rng).bmus, RENDER, RENDER / MODEL);
    const [cx, cy, r] = [scene.cx * SCALE, scene.cy * SCALE, Math.min(scene.a, scene.b) * SCALE * radiusShare];
    let sum = 0;
    let count = 0;
    for (let y = 0; y < MODEL; y++) {
      for (let x = 0; x < MODEL; x++) {
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r) continue;
        sum += image[y * MODEL + x];
        count++;
      }
    }
    total += sum / count;
  }
  return total / seeds;
}

describe('phantom cues at 64 px', () => {
  it('draws septa, papillae and solid parts at least two pixels wide at 64 px, and at most half the cavity', () => {
    const halfMaximum = 2 * Math.sqrt(Math.log(2)); // full width at half maximum of exp(-(d/w)^2), in w
    for (const { scene } of scenes({ ...base, septation: 1, papillary: 1, solid: 1 }, 40)) {
      expect(scene.septa.length).toBeGreaterThan(0);
      for (const septum of scene.septa) expect(halfMaximum * septum.width * SCALE).toBeGreaterThanOrEqual(1.6);
      expect(scene.papillae.length).toBeGreaterThanOrEqual(3);
      for (const p of scene.papillae) {
        expect(2 * p.width * SCALE).toBeGreaterThanOrEqual(2.5);
        expect(Math.hypot(p.bx - p.ax, p.by - p.ay)).toBeLessThanOrEqual(0.6 * Math.min(scene.a, scene.b));
      }
      expect(2 * (scene.solid?.radius ?? 0) * SCALE).toBeGreaterThanOrEqual(5);
    }
  });

  it('gives plainly irregular tumours an outline that departs from the ellipse by pixels at 64 px, further than any regular one', () => {
    const departure = (scene: Scene) => {
      let most = 0;
      for (let k = 0; k < 720; k++) most = Math.max(most, Math.abs(outlineRadius(scene.outline, (k / 720) * 2 * Math.PI) - 1));
      return most * Math.min(scene.a, scene.b) * SCALE;
    };
    const irregular = scenes({ ...base, morphology: 1 }, 60).filter(({ scene }) => !scene.faint);
    const regular = scenes(base, 60);
    expect(irregular.length).toBeGreaterThan(40);
    const irregularDepartures = irregular.map(({ scene }) => departure(scene)).sort((a, b) => a - b);
    const mostRegular = Math.max(...regular.map(({ scene }) => departure(scene)));
    expect(irregularDepartures[Math.floor(irregularDepartures.length / 2)]).toBeGreaterThan(1.5);
    expect(mostRegular).toBeLessThan(irregularDepartures[0]);
  });

  it('keeps septa, solid parts and papillae visible in an anechoic cyst after shrinking to 64 px', () => {
    const plain = meanInside64(base, 0.95);
    for (const parameter of ['septation', 'solid', 'papillary'] as const) {
      expect(meanInside64({ ...base, [parameter]: 1 }, 0.95)).toBeGreaterThan(plain + 8);
    }
  });

  it('blurs an unclear boundary over several pixels at 64 px, where a clear one is a step', () => {
    /** Bilinear sample of a 64 px picture. */
    const sample = (image: Float32Array, x: number, y: number) => {
      const x0 = Math.min(MODEL - 2, Math.max(0, Math.floor(x)));
      const y0 = Math.min(MODEL - 2, Math.max(0, Math.floor(y)));
      const fx = Math.min(1, Math.max(0, x - x0));
      const fy = Math.min(1, Math.max(0, y - y0));
      const top = image[y0 * MODEL + x0] * (1 - fx) + image[y0 * MODEL + x0 + 1] * fx;
      const bottom = image[(y0 + 1) * MODEL + x0] * (1 - fx) + image[(y0 + 1) * MODEL + x0 + 1] * fx;
      return top * (1 - fy) + bottom * fy;
    };
    /**
     * Steepness of the edge: the largest change over one pixel along the way out from the centre,
     * as a share of the change from 4 px inside to 4 px outside the outline. About 1 for a step.
     */
    const steepness = (boundary: number) => {
      const values: number[] = [];
      for (let seed = 0; seed < 10; seed++) {
        const rng = deriveRng(seed, 'edge');
        const scene = drawScene({ ...base, boundary }, RENDER, rng);
        if (scene.faint) continue;
        const image = shrink(renderScene(scene, rng).bmus, RENDER, RENDER / MODEL);
        for (let k = 0; k < 48; k++) {
          const point = boundaryPoint(scene, (k / 48) * 2 * Math.PI);
          const [px, py] = [point.x * SCALE - 0.5, point.y * SCALE - 0.5];
          const [dx, dy] = [px - (scene.cx * SCALE - 0.5), py - (scene.cy * SCALE - 0.5)];
          const norm = Math.hypot(dx, dy);
          const profile = Array.from({ length: 9 }, (_, t) => sample(image, px + ((t - 4) * dx) / norm, py + ((t - 4) * dy) / norm));
          const contrast = Math.abs(profile[8] - profile[0]);
          if (contrast < 20 || px < 5 || py < 5 || px > MODEL - 6 || py > MODEL - 6) continue;
          let steepest = 0;
          for (let t = 1; t < profile.length; t++) steepest = Math.max(steepest, Math.abs(profile[t] - profile[t - 1]));
          values.push(steepest / contrast);
        }
      }
      expect(values.length).toBeGreaterThan(100);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(steepness(0)).toBeGreaterThan(2 * steepness(1));
  });
});
