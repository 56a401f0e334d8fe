// The model's parameter findings in O-RADS US lexicon words where a parameter maps to one, and a
// plain statement where it does not. O-RADS US (ACR, v2022) describes lesion type (unilocular /
// multilocular cyst, with or without solid component, solid), inner wall and outer contour
// (smooth / irregular), papillary projections, colour score 1–4 and cyst contents (anechoic vs
// internal echoes); it does not grade hypo-, iso- or hyperechogenicity.
import type { ClinicalParameter } from '@ovus/domain';
import type { ParameterValues } from './iota-simple-rules';

export interface Wording {
  /** The finding in report words (O-RADS terms where they exist). */
  text: string;
  /** What this wording cannot say, if anything (e.g. colour score 2 vs 3 vs 4). */
  limit?: string;
}

export const PARAMETER_WORDING: Record<ClinicalParameter, Record<number, Wording>> = {
  blood_flow: {
    0: { text: 'no internal vascularity (colour score 1)' },
    1: { text: 'internal vascularity present (colour score 2, 3 or 4)', limit: 'the model does not grade flow: colour score 2 (minimal), 3 (moderate) and 4 (very strong) cannot be told apart' },
  },
  boundary: {
    0: { text: 'clear boundary with the surrounding tissue', limit: 'boundary clarity is not an O-RADS descriptor' },
    1: { text: 'unclear (ill-defined) boundary with the surrounding tissue', limit: 'boundary clarity is not an O-RADS descriptor' },
  },
  echogenicity: {
    0: { text: 'anechoic contents' },
    1: { text: 'internal echoes (hypoechoic)', limit: 'O-RADS describes contents as anechoic or with internal echoes; it does not grade hypo/iso/hyperechogenicity' },
    3: { text: 'internal echoes (isoechoic)', limit: 'O-RADS does not grade hypo/iso/hyperechogenicity' },
    4: { text: 'internal echoes (hyperechoic)', limit: 'O-RADS does not grade hypo/iso/hyperechogenicity' },
  },
  morphology: {
    0: { text: 'smooth contour (inner wall / outer contour)' },
    1: { text: 'irregular contour (inner wall / outer contour)' },
  },
  papillary: {
    0: { text: 'no papillary projection' },
    1: { text: 'papillary projection(s) present', limit: 'the number of papillary projections (1–3 vs ≥ 4) is not assessed' },
  },
  septation: {
    0: { text: 'no septation (unilocular)' },
    1: { text: 'septation present (multilocular)' },
  },
  solid: {
    0: { text: 'no solid component' },
    1: { text: 'solid component present', limit: 'a cyst with a solid component cannot be told from a solid lesion (≥ 80 % solid)' },
  },
};

/** The O-RADS lesion type the parameters point to, or null if septation/solid/papillary are not all known. */
export function lesionType(p: ParameterValues): string | null {
  const { septation, solid, papillary } = p;
  if (septation == null || solid == null || papillary == null) return null;
  const solidTissue = solid === 1 || papillary === 1;
  if (!solidTissue) return septation === 1 ? 'multilocular cyst' : 'unilocular cyst';
  return `${septation === 1 ? 'multilocular' : 'unilocular'} cyst with solid component, or solid lesion`;
}

export interface OradsAssessment {
  /** O-RADS US risk categories these findings allow. */
  candidates: number[];
  /** One sentence: the category, or why one cannot be given. */
  statement: string;
}

/**
 * Which O-RADS US categories (v2022 risk stratification) remain possible. Size, menopausal
 * status, ascites / peritoneal nodules, the colour score beyond 1 vs > 1, the number of papillary
 * projections and solid vs cyst-with-solid are never known here, so most cases keep several.
 */
export function oradsCandidates(p: ParameterValues): OradsAssessment {
  const type = lesionType(p);
  const flow = p.blood_flow;
  const irregular = p.morphology;
  const unknownAlways = 'size, ascites and peritoneal nodules (any of which can raise the category to O-RADS 5) are not assessed';
  const result = (candidates: number[], because: string): OradsAssessment => ({
    candidates,
    statement:
      candidates.length === 1
        ? `Consistent with O-RADS US ${candidates[0]} on these findings alone (${because}), unless ascites or peritoneal nodules are present, which are not assessed.`
        : `A single O-RADS US category cannot be assigned: O-RADS ${candidates.join(', ')} remain possible (${because}; ${unknownAlways}).`,
  });
  if (type === null || irregular == null) return result([1, 2, 3, 4, 5], 'septation, solid component, papillary projection or morphology is not known');
  if (type === 'unilocular cyst') {
    return irregular === 1 ? result([4], 'unilocular cyst with an irregular inner wall') : result([1, 2, 3], 'smooth unilocular cyst: the category depends on size, contents and menopausal status');
  }
  if (type === 'multilocular cyst') {
    return irregular === 1 ? result([4], 'multilocular cyst with an irregular inner wall or septation, any size, any colour score') : result([3, 4], 'smooth multilocular cyst: < 10 cm and colour score < 4 gives 3, otherwise 4');
  }
  // Solid tissue: cyst with a solid component (4 or 5) or a solid lesion (smooth: 3–5 by colour score; irregular: 5).
  if (irregular === 1) return result([4, 5], 'irregular lesion with solid tissue: an irregular solid lesion is O-RADS 5; a cyst with a solid component 4 or 5');
  if (flow === 0) return result([3, 4, 5], 'smooth lesion with solid tissue and colour score 1: 3 if solid, 4 or 5 if a cyst with a solid component');
  return result([4, 5], 'smooth lesion with solid tissue and flow: the colour score (2–4) and papillary count decide between 4 and 5');
}
