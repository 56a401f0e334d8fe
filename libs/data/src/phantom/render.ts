// Renders a phantom scene as a BMUS and a CEUS picture, the way a sonographer would see each
// label. Geometry is computed once as soft masks (0..1 per pixel) and composed per modality.
import type { Rng } from '../random';
import { nextBetween, nextInt } from '../random';
import { distanceToSegment, smoothstep, speckleField, toUint8, valueNoise } from './raster';
import { outlineRadius, type Outline, type Scene } from './scene';

interface Masks {
  /** Inside the tumour outline (soft edge: sharp when the boundary is clear, wide when not). */
  inside: Float32Array;
  /** The cyst wall: a thin ring just inside the outline. */
  wall: Float32Array;
  /** Inside, away from the wall: where fluid, septa, a solid part and papillae live. */
  cavity: Float32Array;
  septa: Float32Array;
  solid: Float32Array;
  papillae: Float32Array;
  /** Fluid around the papillae: they project into a cystic locule whatever the rest holds. */
  pocket: Float32Array;
  /** Below the tumour, fading with depth: posterior acoustic enhancement or shadow. */
  posterior: Float32Array;
  /** The probe's field of view (a fan); black outside. */
  fan: Float32Array;
}

function computeMasks(scene: Scene): Masks {
  const { size, a, b, cx, cy, theta, edgeWidth, wallWidth } = scene;
  const n = size * size;
  const masks: Masks = {
    inside: new Float32Array(n),
    wall: new Float32Array(n),
    cavity: new Float32Array(n),
    septa: new Float32Array(n),
    solid: new Float32Array(n),
    papillae: new Float32Array(n),
    pocket: new Float32Array(n),
    posterior: new Float32Array(n),
    fan: fanMask(size),
  };
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const radiusScale = Math.sqrt(a * b); // px per unit of relative radius, near enough
  const outline = radiusTable(scene.outline);
  const maxRelative = Math.max(...outline);
  const reach = Math.max(a, b) * maxRelative + edgeWidth + 2;
  const x0 = Math.max(0, Math.floor(cx - reach));
  const x1 = Math.min(size - 1, Math.ceil(cx + reach));
  const y0 = Math.max(0, Math.floor(cy - reach));
  const y1 = Math.min(size - 1, Math.ceil(cy + reach));
  const solid = scene.solid;
  const solidOutline = solid ? radiusTable(solid.outline) : null;
  const solidReach = solid && solidOutline ? solid.radius * (0.1 + Math.max(...solidOutline)) : 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const u = (dx * cos + dy * sin) / a;
      const v = (-dx * sin + dy * cos) / b;
      const rho = Math.sqrt(u * u + v * v);
      const depth = (lookup(outline, Math.atan2(v, u)) - rho) * radiusScale; // px inside the outline
      if (depth <= -edgeWidth) continue; // outside: every mask is 0 here
      const i = y * size + x;
      masks.inside[i] = smoothstep(-edgeWidth, edgeWidth, depth);
      const wallOffset = (depth - wallWidth) / wallWidth;
      masks.wall[i] = Math.exp(-wallOffset * wallOffset) * smoothstep(-edgeWidth, 0, depth);
      if (depth <= 0) continue;
      const cavity = smoothstep(wallWidth * 1.2, wallWidth * 2.2, depth);
      masks.cavity[i] = cavity;
      const attached = smoothstep(0, wallWidth, depth);
      if (cavity > 0) {
        let septa = 0;
        for (const s of scene.septa) {
          const d = distanceToSegment(x, y, s.ax, s.ay, s.bx, s.by) / s.width;
          if (d < 3) septa = Math.max(septa, Math.exp(-d * d));
        }
        masks.septa[i] = septa * cavity;
      }
      let papilla = 0;
      let pocket = 0;
      for (const p of scene.papillae) {
        const d = distanceToSegment(x, y, p.ax, p.ay, p.bx, p.by);
        papilla = Math.max(papilla, smoothstep(p.width * 1.15, p.width * 0.75, d));
        pocket = Math.max(pocket, smoothstep(p.width * 3, p.width * 2, d));
      }
      masks.papillae[i] = papilla * attached;
      masks.pocket[i] = pocket * attached;
      if (solid && solidOutline) {
        const sx = x - solid.cx;
        const sy = y - solid.cy;
        const distance = Math.sqrt(sx * sx + sy * sy);
        if (distance < solidReach) {
          const q = distance / (solid.radius * lookup(solidOutline, Math.atan2(sy, sx)));
          masks.solid[i] = smoothstep(1.08, 0.92, q) * attached;
        }
      }
    }
  }
  // Posterior band: below each column's deepest tumour pixel, fading over a third of the image.
  const fade = 0.3 * size;
  for (let x = x0; x <= x1; x++) {
    let bottom = -1;
    let thickness = 0;
    for (let y = y0; y <= y1; y++) {
      const m = masks.inside[y * size + x];
      if (m > 0.5) bottom = y;
      thickness += m;
    }
    if (bottom < 0) continue;
    const weight = Math.min(1, thickness / (0.5 * b));
    for (let y = bottom + 1; y < size; y++) masks.posterior[y * size + x] = weight * Math.exp(-(y - bottom) / fade);
  }
  return masks;
}

const TABLE_SIZE = 1024;

/** outlineRadius sampled over the circle: the per-pixel cosine sums were the renderer's hot spot. */
function radiusTable(outline: Outline): Float32Array {
  const table = new Float32Array(TABLE_SIZE + 1);
  for (let k = 0; k <= TABLE_SIZE; k++) table[k] = outlineRadius(outline, -Math.PI + (2 * Math.PI * k) / TABLE_SIZE);
  return table;
}

/** Linear interpolation in a radiusTable at angle phi in [-pi, pi]. */
function lookup(table: Float32Array, phi: number): number {
  const position = ((phi + Math.PI) / (2 * Math.PI)) * TABLE_SIZE;
  const k = Math.min(TABLE_SIZE - 1, Math.max(0, Math.floor(position)));
  const f = position - k;
  return table[k] * (1 - f) + table[k + 1] * f;
}

const fanCache = new Map<number, Float32Array>();

/** Convex probe's field of view: apex above the image, about 80 degrees wide. Same for every case. */
function fanMask(size: number): Float32Array {
  const cached = fanCache.get(size);
  if (cached) return cached;
  const fan = new Float32Array(size * size);
  const apexX = size / 2;
  const apexY = -0.25 * size;
  const halfAngle = (40 * Math.PI) / 180;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - apexX, y - apexY);
      const angle = Math.abs(Math.atan2(x - apexX, y - apexY));
      fan[y * size + x] = smoothstep(halfAngle, halfAngle - 0.02, angle) * smoothstep(0.3 * size, 0.32 * size, r);
    }
  }
  fanCache.set(size, fan);
  return fan;
}

const lerp = (from: number, to: number, t: number) => from + (to - from) * t;

/** Intensity of the tumour's content on BMUS, per echogenicity code, before strength blending. */
const ECHO_LEVEL: Record<number, number> = { 0: 0.02, 1: 0.14, 3: 0.3, 4: 0.58 };
/** Posterior effect per echogenicity: fluid enhances what lies behind it, dense tissue shadows. */
const POSTERIOR_GAIN: Record<number, number> = { 0: 0.45, 1: 0.2, 3: 0, 4: -0.3 };

function renderBmus(scene: Scene, masks: Masks, rng: Rng): Float32Array {
  const { size, labels, strength } = scene;
  const n = size * size;
  const tissueTexture = valueNoise(size, 6, rng);
  const innerTexture = valueNoise(size, 14, rng);
  // Coarse and strong: a solid part looks mottled, unlike the smooth content of a hyperechoic cyst.
  const solidTexture = valueNoise(size, 10, rng);
  const speckle = speckleField(size, rng);
  const echo = labels.echogenicity;
  // Strength blends the content level from the surrounding tissue's towards the code's own.
  const interior = lerp(scene.tissueLevel, ECHO_LEVEL[echo], 0.5 + 0.5 * strength.echogenicity);
  const textured = echo === 0 ? 0 : 0.25;
  const posteriorGain = POSTERIOR_GAIN[echo] * strength.echogenicity;
  const clear = labels.boundary === 0;
  // A clear boundary shows the bright capsule; an unclear one fades into the tissue around it.
  const wallGain = clear ? 0.25 + 0.3 * strength.boundary : 0.06 * (1 - strength.boundary);
  const septumLevel = Math.min(1, interior + 0.25 + 0.35 * strength.septation);
  // A solid part is a large, mottled mass clearly brighter than any tissue (else a small CNN takes
  // it for tissue bulging into the cyst and learns it from CEUS alone); papillae are small and
  // brighter still, so size and texture tell them apart.
  const solidLevel = Math.min(0.85, Math.max(0.55, interior + 0.2) + 0.2 * strength.solid);
  const papillaLevel = Math.min(1, 0.75 + 0.25 * strength.papillary);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const depthFade = 1 - scene.attenuation * ((i - (i % size)) / (size * size));
    let tissue = scene.tissueLevel * (1 + 0.3 * tissueTexture[i]) * depthFade;
    tissue *= 1 + posteriorGain * masks.posterior[i];
    let v = lerp(tissue, interior * (1 + textured * innerTexture[i]) * depthFade, masks.inside[i]);
    v += wallGain * masks.wall[i];
    v = lerp(v, septumLevel, masks.septa[i]);
    v = lerp(v, solidLevel * (1 + 0.45 * solidTexture[i]), masks.solid[i]);
    v = lerp(v, ECHO_LEVEL[0] * depthFade, masks.pocket[i] * strength.papillary);
    v = lerp(v, papillaLevel, masks.papillae[i]);
    v *= scene.bmusGain * masks.fan[i];
    out[i] = v * (1 + (speckle[i] - 1) * scene.speckle);
  }
  return out;
}

function renderCeus(scene: Scene, masks: Masks, rng: Rng): Float32Array {
  const { size, labels, strength } = scene;
  const n = size * size;
  const perfusion = valueNoise(size, 8, rng);
  const bubbles = valueNoise(size, 24, rng);
  const speckle = speckleField(size, rng);
  const flow = labels.blood_flow === 1;
  const s = strength.blood_flow;
  // Without flow, vascular structures stay about as dark as the tissue around them; some show a
  // little residual signal, and faint flow enhances weakly, so the two overlap at the margin.
  const enhanced = flow ? 0.12 + 0.6 * s : nextBetween(rng, 0.05, 0.25);
  const solidTumour = labels.echogenicity >= 3;
  const interior = solidTumour && flow ? 0.05 + 0.2 * s : 0.015;
  const background = nextBetween(rng, 0.06, 0.1);
  // Flow with no solid part, septum or papilla still shows as vessels in the wall: a few dots.
  const vessels: { x: number; y: number; r: number }[] = [];
  if (flow) {
    const count = Math.max(1, Math.round(nextInt(rng, 4, 9) * s));
    for (let k = 0; k < count; k++) {
      const phi = nextBetween(rng, 0, 2 * Math.PI);
      const rel = outlineRadius(scene.outline, phi) * nextBetween(rng, 0.8, 0.97);
      const u = rel * Math.cos(phi) * scene.a;
      const v = rel * Math.sin(phi) * scene.b;
      vessels.push({
        x: scene.cx + u * Math.cos(scene.theta) - v * Math.sin(scene.theta),
        y: scene.cy + u * Math.sin(scene.theta) + v * Math.cos(scene.theta),
        r: nextBetween(rng, 0.008, 0.016) * size,
      });
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = lerp(background * (1 + 0.4 * perfusion[i]), interior * (1 + 0.4 * bubbles[i]), masks.inside[i]);
    v = lerp(v, enhanced, masks.wall[i] * 0.85);
    v = lerp(v, enhanced * (1 + 0.3 * bubbles[i]), Math.max(masks.septa[i], masks.solid[i], masks.papillae[i]));
    out[i] = v;
  }
  for (const dot of vessels) {
    const reach = Math.ceil(dot.r * 3);
    for (let y = Math.max(0, Math.floor(dot.y) - reach); y <= Math.min(size - 1, Math.ceil(dot.y) + reach); y++) {
      for (let x = Math.max(0, Math.floor(dot.x) - reach); x <= Math.min(size - 1, Math.ceil(dot.x) + reach); x++) {
        const d2 = ((x - dot.x) ** 2 + (y - dot.y) ** 2) / (dot.r * dot.r);
        out[y * size + x] = lerp(out[y * size + x], enhanced, Math.exp(-d2));
      }
    }
  }
  for (let i = 0; i < n; i++) out[i] *= scene.ceusGain * masks.fan[i] * (1 + (speckle[i] - 1) * scene.speckle);
  return out;
}

/** Both pictures of one case as 8-bit grey, row-major. */
export function renderScene(scene: Scene, rng: Rng): { bmus: Uint8Array; ceus: Uint8Array } {
  const masks = computeMasks(scene);
  return { bmus: toUint8(renderBmus(scene, masks, rng)), ceus: toUint8(renderCeus(scene, masks, rng)) };
}

/** Where the tumour is (its outline, the blurred edge cut at half way), 1 inside, 0 outside, row-major. */
export function lesionMask(scene: Scene): Uint8Array {
  const inside = computeMasks(scene).inside;
  return Uint8Array.from(inside, (v) => (v >= 0.5 ? 1 : 0));
}
