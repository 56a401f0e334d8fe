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
  // Tumour: centre, semi-axes (px), orientation, boundary harmonics (relative radius).
  cx: number;
  cy: number;
  a: number;
  b: number;
  theta: number;
  harmonics: Harmonic[];
  /** Half-width of the tumour's edge transition (px): sharp when clear, wide when unclear. */
  edgeWidth: number;
  wallWidth: number;
  septa: Segment[];
  solid: { cx: number; cy: number; radius: number; harmonics: Harmonic[] } | null;
  papillae: Segment[];
  // Imaging conditions.
  bmusGain: number;
  ceusGain: number;
  attenuation: number;
  speckle: number;
  tissueLevel: number;
}

/** Relative boundary radius at angle phi (1 = the ellipse). */
export function boundaryRadius(harmonics: readonly Harmonic[], phi: number): number {
  let r = 1;
  for (const h of harmonics) r += h.amplitude * Math.cos(h.k * phi + h.phase);
  return r;
}

/** Pixel position of the boundary at angle phi of the tumour's own frame. */
export function boundaryPoint(scene: Scene, phi: number, inset = 0): { x: number; y: number } {
  const r = boundaryRadius(scene.harmonics, phi);
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

export function drawScene(labels: Record<ClinicalParameter, number>, size: number, rng: Rng): Scene {
  const faint = nextBool(rng, 0.1);
  const strengthOf = () => (faint ? nextBetween(rng, 0.25, 0.5) : nextBetween(rng, 0.6, 1));
  const strength = {
    blood_flow: strengthOf(),
    boundary: strengthOf(),
    echogenicity: strengthOf(),
    morphology: strengthOf(),
    papillary: strengthOf(),
    septation: strengthOf(),
    solid: strengthOf(),
  };

  const a = nextBetween(rng, 0.17, 0.28) * size;
  const b = a * nextBetween(rng, 0.65, 1);
  const margin = a * 1.25 + 0.04 * size;
  const cx = nextBetween(rng, Math.min(margin, size / 2), Math.max(size - margin, size / 2));
  const cy = nextBetween(rng, Math.min(margin, size / 2) + 0.06 * size, Math.max(size - margin, size / 2));
  const theta = nextBetween(rng, 0, Math.PI);

  // Regular: an almost perfect ellipse. Irregular: lobulated (a few low harmonics) and jagged.
  const harmonics =
    labels.morphology === 1
      ? [
          ...drawHarmonics(rng, nextInt(rng, 2, 3), 3, 6, [0.06 * strength.morphology, 0.14 * strength.morphology]),
          ...drawHarmonics(rng, 2, 9, 15, [0.015 * strength.morphology, 0.035 * strength.morphology]),
        ]
      : drawHarmonics(rng, 2, 2, 3, [0, 0.02]);

  const edgeWidth =
    labels.boundary === 1 ? nextBetween(rng, 0.025, 0.05) * size * (0.4 + 0.6 * strength.boundary) : nextBetween(rng, 0.003, 0.006) * size;
  const wallWidth = nextBetween(rng, 0.008, 0.014) * size;

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
    harmonics,
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
        width: nextBetween(rng, 0.006, 0.011) * size,
      });
    }
  }

  if (labels.solid === 1) {
    const phi = nextBetween(rng, 0, 2 * Math.PI);
    const radius = nextBetween(rng, 0.3, 0.5) * Math.min(a, b);
    const centre = boundaryPoint(scene, phi, radius * 0.7);
    scene.solid = { cx: centre.x, cy: centre.y, radius, harmonics: drawHarmonics(rng, 3, 2, 5, [0.05, 0.15]) };
  }

  if (labels.papillary === 1) {
    const count = nextInt(rng, 2, 5);
    const start = nextBetween(rng, 0, 2 * Math.PI);
    for (let i = 0; i < count; i++) {
      // Clustered on one stretch of the wall, finger-like: long, thin, pointing inwards.
      const phi = start + nextBetween(rng, -0.9, 0.9);
      const length = nextBetween(rng, 0.05, 0.085) * size;
      const base = boundaryPoint(scene, phi, wallWidth);
      const tip = boundaryPoint(scene, phi + nextBetween(rng, -0.15, 0.15), wallWidth + length);
      scene.papillae.push({ ax: base.x, ay: base.y, bx: tip.x, by: tip.y, width: nextBetween(rng, 0.012, 0.02) * size });
    }
  }
  return scene;
}
