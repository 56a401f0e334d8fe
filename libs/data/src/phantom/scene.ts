// The random make-up of one phantom case: where the tumour is, its shape, and how strongly each
// label shows. Labels decide WHAT is drawn; the random draws here decide how plainly, so that the
// cues are learnable but not trivially so.
import type { ClinicalParameter } from '@ovus/domain';
import { nextBetween, nextBool, nextInt, type Rng } from '../random';

export interface Harmonic {
  k: number;
  amplitude: number;
  phase: number;
}

/**
 * A closed outline around a centre, as a relative radius per angle: smooth harmonics times an
 * optional polygon-like factor (`corners`: radii at equally spaced angles from `cornerPhase`,
 * joined linearly in angle, so that the outline kinks at each one).
 */
export interface Outline {
  harmonics: Harmonic[];
  corners: number[];
  cornerPhase: number;
}

export interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** Half-thickness in pixels. */
  width: number;
}

export interface Scene {
  size: number;
  labels: Record<ClinicalParameter, number>;
  /** About one case in ten is drawn faintly (all effects weak): the ambiguous cases of real data. */
  faint: boolean;
  /** Per-effect visibility in [0, 1]. */
  strength: Record<ClinicalParameter, number>;
  // Tumour: centre, semi-axes (px), orientation, outline (relative radius).
  cx: number;
  cy: number;
  a: number;
  b: number;
  theta: number;
  outline: Outline;
  /** Half-width of the tumour's edge transition (px): sharp when clear, wide when unclear. */
  edgeWidth: number;
  wallWidth: number;
  septa: Segment[];
  solid: { cx: number; cy: number; radius: number; outline: Outline } | null;
  papillae: Segment[];
  // Imaging conditions.
  bmusGain: number;
  ceusGain: number;
  attenuation: number;
  speckle: number;
  tissueLevel: number;
}

/** Relative radius of an outline at angle phi (1 = the ellipse, or the circle). */
export function outlineRadius(outline: Outline, phi: number): number {
  let r = 1;
  for (const h of outline.harmonics) r += h.amplitude * Math.cos(h.k * phi + h.phase);
  const n = outline.corners.length;
  if (n === 0) return r;
  const turns = (phi - outline.cornerPhase) / (2 * Math.PI);
  const position = (turns - Math.floor(turns)) * n;
  const k = Math.floor(position) % n;
  const f = position - Math.floor(position);
  return r * (outline.corners[k] * (1 - f) + outline.corners[(k + 1) % n] * f);
}

const smoothOutline = (harmonics: Harmonic[]): Outline => ({ harmonics, corners: [], cornerPhase: 0 });

/** Pixel position of the boundary at angle phi of the tumour's own frame. */
export function boundaryPoint(scene: Scene, phi: number, inset = 0): { x: number; y: number } {
  const r = outlineRadius(scene.outline, phi);
  const u = (r * Math.cos(phi) * scene.a - inset * Math.cos(phi));
  const v = (r * Math.sin(phi) * scene.b - inset * Math.sin(phi));
  const cos = Math.cos(scene.theta);
  const sin = Math.sin(scene.theta);
  return { x: scene.cx + u * cos - v * sin, y: scene.cy + u * sin + v * cos };
}

function drawHarmonics(rng: Rng, count: number, kMin: number, kMax: number, amplitude: [number, number]): Harmonic[] {
  return Array.from({ length: count }, () => ({
    k: nextInt(rng, kMin, kMax),
    amplitude: nextBetween(rng, amplitude[0], amplitude[1]),
    phase: nextBetween(rng, 0, 2 * Math.PI),
  }));
}

/**
 * Regular: an almost perfect ellipse. Irregular: two broad lobulations (8-15 % of the radius each)
 * plus a microlobulated margin (10-14 bumps around the outline, 6-10 % of the radius: one to two
 * pixels at 64 px). Both, because broad lobes alone (a global shape) were barely learned from 257
 * cases by a small CNN, while a jagged margin is a local texture it picks up more readily.
 */
function drawOutline(irregular: boolean, strength: number, rng: Rng): Outline {
  if (!irregular) return smoothOutline(drawHarmonics(rng, 2, 2, 3, [0, 0.025]));
  return smoothOutline([
    ...drawHarmonics(rng, 2, 3, 5, [0.08 * strength, 0.15 * strength]),
    ...drawHarmonics(rng, 2, 10, 14, [0.06 * strength, 0.1 * strength]),
  ]);
}

// Sizes are shares of the image side, chosen so that every cue spans at least about two pixels
// when the picture is shrunk to 64 px (one pixel there is 1.6 % of the side), and still about one
// at 32 px: septa 2.7-4 % wide (at half maximum), papillae 5-7 % wide and 4.5-7.5 % long in a
// dark pocket, solid parts 50-75 % of the cavity's shorter radius, an unclear edge blurred over
// 7-16 % (faint: 4-10 %) against a clear one of about 1 %.
export function drawScene(labels: Record<ClinicalParameter, number>, size: number, rng: Rng): Scene {
  const faint = nextBool(rng, 0.1);
  // Faint cases overlap the other class on purpose (the ambiguous cases of real data); the others
  // vary in strength but stay plainly visible.
  const strengthOf = () => (faint ? nextBetween(rng, 0.2, 0.5) : nextBetween(rng, 0.65, 1));
  const strength = {
    blood_flow: strengthOf(),
    boundary: strengthOf(),
    echogenicity: strengthOf(),
    morphology: strengthOf(),
    papillary: strengthOf(),
    septation: strengthOf(),
    solid: strengthOf(),
  };

  const a = nextBetween(rng, 0.2, 0.3) * size;
  const b = a * nextBetween(rng, 0.7, 1);
  const margin = a * 1.3 + 0.04 * size;
  const cx = nextBetween(rng, Math.min(margin, size / 2), Math.max(size - margin, size / 2));
  const cy = nextBetween(rng, Math.min(margin, size / 2) + 0.06 * size, Math.max(size - margin, size / 2));
  const theta = nextBetween(rng, 0, Math.PI);

  const outline = drawOutline(labels.morphology === 1, strength.morphology, rng);

  // Unclear: the edge fades into the tissue over several pixels even at 64 px; clear: a step.
  const edgeWidth =
    labels.boundary === 1 ? nextBetween(rng, 0.05, 0.08) * size * (0.3 + 0.7 * strength.boundary) : nextBetween(rng, 0.003, 0.006) * size;
  const wallWidth = nextBetween(rng, 0.012, 0.018) * size;

  const scene: Scene = {
    size,
    labels,
    faint,
    strength,
    cx,
    cy,
    a,
    b,
    theta,
    outline,
    edgeWidth,
    wallWidth,
    septa: [],
    solid: null,
    papillae: [],
    bmusGain: nextBetween(rng, 0.8, 1.2),
    ceusGain: nextBetween(rng, 0.8, 1.2),
    attenuation: nextBetween(rng, 0.1, 0.35),
    speckle: faint ? nextBetween(rng, 0.9, 1.2) : nextBetween(rng, 0.6, 1),
    tissueLevel: nextBetween(rng, 0.24, 0.34),
  };

  if (labels.septation === 1) {
    // Chords across the cavity through a point near the centre; long enough to reach the wall
    // (they are clipped to the cavity when drawn).
    const count = nextInt(rng, 1, 3);
    for (let i = 0; i < count; i++) {
      const angle = nextBetween(rng, 0, Math.PI);
      const px = cx + nextBetween(rng, -0.4, 0.4) * b;
      const py = cy + nextBetween(rng, -0.4, 0.4) * b;
      const reach = 1.6 * a;
      scene.septa.push({
        ax: px - Math.cos(angle) * reach,
        ay: py - Math.sin(angle) * reach,
        bx: px + Math.cos(angle) * reach,
        by: py + Math.sin(angle) * reach,
        width: nextBetween(rng, 0.016, 0.024) * size,
      });
    }
  }

  if (labels.solid === 1) {
    // One large rounded mass on the wall: much bigger than a papilla, so the two differ in kind.
    const phi = nextBetween(rng, 0, 2 * Math.PI);
    const radius = nextBetween(rng, 0.5, 0.75) * Math.min(a, b);
    const centre = boundaryPoint(scene, phi, radius * 0.7);
    scene.solid = { cx: centre.x, cy: centre.y, radius, outline: smoothOutline(drawHarmonics(rng, 3, 2, 5, [0.05, 0.15])) };
  }

  if (labels.papillary === 1) {
    const count = nextInt(rng, 4, 8);
    const start = nextBetween(rng, 0, 2 * Math.PI);
    for (let i = 0; i < count; i++) {
      // Spread along a good part of the wall (about 150 degrees): stubby rounded projections
      // pointing inwards, about as long as they are wide (long thin ones read as septa), within
      // the inner half of the cavity.
      const phi = start + nextBetween(rng, -1.3, 1.3);
      const length = Math.min(nextBetween(rng, 0.045, 0.075) * size, 0.4 * Math.min(a, b));
      const base = boundaryPoint(scene, phi, wallWidth);
      const tip = boundaryPoint(scene, phi + nextBetween(rng, -0.12, 0.12), wallWidth + length);
      scene.papillae.push({ ax: base.x, ay: base.y, bx: tip.x, by: tip.y, width: nextBetween(rng, 0.026, 0.034) * size });
    }
  }
  return scene;
}
