// The IOTA Simple Rules (Timmerman et al., 2008) from the seven key clinical parameters. The
// parameters were not made for the rules: some features follow from them, some depend on what they
// do not record (sizes, counts, flow strength), two are never observed (ascites, shadows). Each
// feature is therefore true, false, or unknown (with why), and a verdict is given only when every
// way of filling in the unknowns agrees. Rule by rule: libs/report/README.md.
import type { ClinicalParameter } from '@ovus/domain';

/** Paper codes per parameter; null (or absent) = not known (no label, or no such head). */
export type ParameterValues = Partial<Record<ClinicalParameter, number | null>>;

export type FeatureName = 'B1' | 'B2' | 'B3' | 'B4' | 'B5' | 'M1' | 'M2' | 'M3' | 'M4' | 'M5';
export const B_FEATURES: readonly FeatureName[] = ['B1', 'B2', 'B3', 'B4', 'B5'];
export const M_FEATURES: readonly FeatureName[] = ['M1', 'M2', 'M3', 'M4', 'M5'];

export const FEATURE_TITLES: Record<FeatureName, string> = {
  B1: 'unilocular cyst',
  B2: 'solid components present, largest < 7 mm',
  B3: 'acoustic shadows',
  B4: 'smooth multilocular tumour, largest diameter < 100 mm',
  B5: 'no blood flow (colour score 1)',
  M1: 'irregular solid tumour',
  M2: 'ascites',
  M3: 'at least four papillary structures',
  M4: 'irregular multilocular-solid tumour, largest diameter ≥ 100 mm',
  M5: 'very strong blood flow (colour score 4)',
};

/**
 * - 'missing': a parameter it needs is not known (the case is not evaluable if the verdict hinges on it).
 * - 'unobservable': it depends on something the seven parameters never record (a size, a count, flow strength).
 */
export type FeatureValue =
  | { value: true | false; basis: string; assumed?: boolean }
  | { value: 'unknown'; why: 'missing' | 'unobservable'; basis: string; needs?: ClinicalParameter[] };

export interface RuleAssumptions {
  /** Never observed in a tumour-centred image pair; default 'absent' (M2 false). 'unknown' evaluates it both ways. */
  ascites: 'absent' | 'unknown';
  /** Not recorded by the parameters; default 'absent' (B3 false). */
  acousticShadows: 'absent' | 'unknown';
  /**
   * A solid component in an irregular tumour is read as an irregular solid tumour (M1): the
   * parameters cannot tell a solid tumour from a multilocular-solid one, and an irregular tumour
   * with solid tissue is the M-pattern in both (M1, or M4 apart from size). Default true; false
   * leaves M1 unknown there.
   */
  irregularSolidIsM1: boolean;
}

export const DEFAULT_ASSUMPTIONS: RuleAssumptions = { ascites: 'absent', acousticShadows: 'absent', irregularSolidIsM1: true };

export type Verdict = 'benign' | 'malignant' | 'inconclusive' | 'not-evaluable';

export const VERDICT_TITLES: Record<Verdict, string> = {
  benign: 'benign (IOTA Simple Rules)',
  malignant: 'malignant (IOTA Simple Rules)',
  inconclusive: 'inconclusive (IOTA): the rules do not apply',
  'not-evaluable': 'not evaluable: the verdict depends on inputs these parameters do not give',
};

export interface RuleEvaluation {
  features: Record<FeatureName, FeatureValue>;
  /** Unknown B- and M-features all taken as absent / all as present (the two bounds). */
  ifUnknownAbsent: Exclude<Verdict, 'not-evaluable'>;
  ifUnknownPresent: Exclude<Verdict, 'not-evaluable'>;
  verdict: Verdict;
  /** For 'not-evaluable': the features whose unknown value decides, and why each is unknown. */
  undecidedBy: { feature: FeatureName; why: 'missing' | 'unobservable'; needs?: ClinicalParameter[] }[];
  assumptions: RuleAssumptions;
}

const yes = (basis: string, assumed = false): FeatureValue => ({ value: true, basis, ...(assumed ? { assumed } : {}) });
const no = (basis: string, assumed = false): FeatureValue => ({ value: false, basis, ...(assumed ? { assumed } : {}) });
const unobservable = (basis: string): FeatureValue => ({ value: 'unknown', why: 'unobservable', basis });
const missing = (needs: ClinicalParameter[]): FeatureValue => ({ value: 'unknown', why: 'missing', basis: `needs ${needs.join(', ')}`, needs });

function known(p: ParameterValues, name: ClinicalParameter): number | null {
  const v = p[name];
  return v === undefined || v === null ? null : v;
}

/** Each of the ten features from the parameters (see the README for the mapping, rule by rule). */
export function evaluateFeatures(p: ParameterValues, assumptions: RuleAssumptions = DEFAULT_ASSUMPTIONS): Record<FeatureName, FeatureValue> {
  const flow = known(p, 'blood_flow');
  const morphology = known(p, 'morphology');
  const papillary = known(p, 'papillary');
  const septation = known(p, 'septation');
  const solid = known(p, 'solid');
  const absentOf = (pairs: [ClinicalParameter, number | null][]) => pairs.filter(([, v]) => v === null).map(([n]) => n);
  const anySolidTissue = solid === 1 || papillary === 1; // IOTA counts papillary projections as solid components

  // M1 first: B2 follows from it (a solid tumour's solid component is the tumour, far above 7 mm).
  let m1: FeatureValue;
  if (solid === 0) m1 = no('no solid component');
  else if (morphology === 0) m1 = no('regular morphology');
  else if (solid === 1 && morphology === 1) {
    m1 = assumptions.irregularSolidIsM1 ? yes('solid component in an irregular tumour, read as an irregular solid tumour', true) : unobservable('solid tumour vs multilocular-solid is not recorded');
  } else m1 = missing(absentOf([['solid', solid], ['morphology', morphology]]));

  let b1: FeatureValue;
  if (septation === 1 || solid === 1 || papillary === 1) b1 = no(septation === 1 ? 'septation present' : 'solid tissue present');
  else if (septation === 0 && solid === 0 && papillary === 0) b1 = yes('no septation, no solid component, no papillary projection');
  else b1 = missing(absentOf([['septation', septation], ['solid', solid], ['papillary', papillary]]));

  let b2: FeatureValue;
  if (m1.value === true) b2 = no('the solid tissue is a solid tumour (M1), not a component under 7 mm', m1.assumed);
  else if (solid === 0 && papillary === 0) b2 = no('no solid component or papillary projection');
  else if (anySolidTissue) b2 = unobservable('the size of the largest solid component is not recorded');
  else b2 = missing(absentOf([['solid', solid], ['papillary', papillary]]));

  const b3: FeatureValue = assumptions.acousticShadows === 'absent' ? no('acoustic shadows are not recorded; assumed absent', true) : unobservable('acoustic shadows are not recorded');

  let b4: FeatureValue;
  if (septation === 0) b4 = no('not multilocular (no septation)');
  else if (anySolidTissue) b4 = no('solid tissue present: multilocular-solid, not multilocular');
  else if (morphology === 1) b4 = no('irregular morphology: not smooth');
  else if (septation === 1 && solid === 0 && papillary === 0 && morphology === 0) b4 = unobservable('smooth multilocular, but the largest diameter is not recorded');
  else b4 = missing(absentOf([['septation', septation], ['solid', solid], ['papillary', papillary], ['morphology', morphology]]));

  const b5: FeatureValue = flow === 0 ? yes('no blood flow signal') : flow === 1 ? no('blood flow signal present') : missing(['blood_flow']);

  const m2: FeatureValue = assumptions.ascites === 'absent' ? no('ascites is not recorded; assumed absent', true) : unobservable('ascites is not recorded');

  const m3: FeatureValue = papillary === 0 ? no('no papillary projection') : papillary === 1 ? unobservable('the number of papillary projections is not recorded') : missing(['papillary']);

  let m4: FeatureValue;
  if (septation === 0) m4 = no('not multilocular (no septation)');
  else if (solid === 0 && papillary === 0) m4 = no('no solid tissue: not multilocular-solid');
  else if (morphology === 0) m4 = no('regular morphology');
  else if (septation === 1 && anySolidTissue && morphology === 1) m4 = unobservable('irregular multilocular-solid, but the largest diameter is not recorded');
  else m4 = missing(absentOf([['septation', septation], ['solid', solid], ['papillary', papillary], ['morphology', morphology]]));

  const m5: FeatureValue = flow === 0 ? no('no blood flow signal') : flow === 1 ? unobservable('flow is present, but colour score 4 (very strong) vs 2–3 is not recorded') : missing(['blood_flow']);

  return { B1: b1, B2: b2, B3: b3, B4: b4, B5: b5, M1: m1, M2: m2, M3: m3, M4: m4, M5: m5 };
}

/** Timmerman et al. 2008: malignant if ≥ 1 M-feature and no B-feature; benign if ≥ 1 B and no M; otherwise inconclusive. */
export function combineRules(anyB: boolean, anyM: boolean): Exclude<Verdict, 'not-evaluable'> {
  if (anyM && !anyB) return 'malignant';
  if (anyB && !anyM) return 'benign';
  return 'inconclusive';
}

export function evaluateSimpleRules(p: ParameterValues, assumptions: RuleAssumptions = DEFAULT_ASSUMPTIONS): RuleEvaluation {
  const features = evaluateFeatures(p, assumptions);
  const group = (names: readonly FeatureName[]) => ({
    known: names.some((n) => features[n].value === true),
    unknown: names.filter((n) => features[n].value === 'unknown'),
  });
  const b = group(B_FEATURES);
  const m = group(M_FEATURES);
  // The verdict depends only on (any B, any M), and each grows with its unknowns: the four corners
  // (B-unknowns all absent / all present × the same for M) are every outcome the unknowns allow.
  const corners = [false, true].flatMap((bUnknown) =>
    [false, true].map((mUnknown) => combineRules(b.known || (bUnknown && b.unknown.length > 0), m.known || (mUnknown && m.unknown.length > 0))),
  );
  const decided = corners.every((v) => v === corners[0]);
  const undecidedBy = decided
    ? []
    : [...b.unknown, ...m.unknown].map((feature) => {
        const f = features[feature] as Extract<FeatureValue, { value: 'unknown' }>;
        return { feature, why: f.why, ...(f.needs ? { needs: f.needs } : {}) };
      });
  return {
    features,
    ifUnknownAbsent: corners[0],
    ifUnknownPresent: corners[3],
    verdict: decided ? corners[0] : 'not-evaluable',
    undecidedBy,
    assumptions,
  };
}
