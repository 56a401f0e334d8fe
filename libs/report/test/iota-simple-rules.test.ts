// Truth tables for each of the ten features over every combination of the parameters it reads
// (0, 1, or unknown), the combination rule, and verdicts of typical tumours — including the two
// kinds of undecided case, which must never be merged.
import { describe, expect, it } from 'vitest';
import { combineRules, evaluateFeatures, evaluateSimpleRules, type FeatureName, type ParameterValues } from '../src';

type V = 0 | 1 | null;
const VALUES: V[] = [0, 1, null];
/** 'T' true, 'F' false, 'u' unknown (unobservable), 'm' unknown (missing input); a trailing '*' = assumed. */
function code(p: ParameterValues, feature: FeatureName): string {
  const f = evaluateFeatures(p)[feature];
  if (f.value === 'unknown') return f.why === 'missing' ? 'm' : 'u';
  return (f.value ? 'T' : 'F') + ('assumed' in f && f.assumed ? '*' : '');
}

function table(params: (keyof ParameterValues)[], feature: FeatureName): string {
  const rows: string[] = [];
  const walk = (i: number, p: ParameterValues) => {
    if (i === params.length) return void rows.push(code(p, feature));
    for (const v of VALUES) walk(i + 1, { ...p, [params[i]]: v });
  };
  walk(0, {});
  return rows.join('');
}

describe('IOTA Simple Rules: each feature from the parameters', () => {
  it('B5 (no blood flow) and M5 (very strong flow) from blood flow: 0, 1, unknown', () => {
    expect(table(['blood_flow'], 'B5')).toBe('TFm');
    expect(table(['blood_flow'], 'M5')).toBe('Fum');
  });

  it('B1 (unilocular) from septation × solid × papillary', () => {
    // septation 0: solid 0 → papillary 0,1,? ; solid 1 → …; solid ? → …, then septation 1 (all F), septation ?.
    expect(table(['septation', 'solid', 'papillary'], 'B1')).toBe('TFm' + 'FFF' + 'mFm' + 'FFFFFFFFF' + 'mFm' + 'FFF' + 'mFm');
  });

  it('B2 (solid components < 7 mm) from solid × papillary × morphology: unobservable size unless there is no solid tissue or it is an (assumed) solid tumour', () => {
    // solid 0: papillary 0 → F whatever the morphology; papillary 1 → size unknown; papillary ? → missing.
    // solid 1: morphology 1 makes it an irregular solid tumour (M1, assumed) → F*; otherwise size unknown.
    // solid ?: papillary 1 → size unknown, else missing.
    expect(table(['solid', 'papillary', 'morphology'], 'B2')).toBe('FFF' + 'uuu' + 'mmm' + 'uF*u' + 'uF*u' + 'uF*u' + 'mmm' + 'uuu' + 'mmm');
  });

  it('B3 (acoustic shadows) and M2 (ascites) are never observed: assumed absent, or unknown when asked', () => {
    expect(code({}, 'B3')).toBe('F*');
    expect(code({}, 'M2')).toBe('F*');
    const strict = evaluateFeatures({}, { ascites: 'unknown', acousticShadows: 'unknown', irregularSolidIsM1: true });
    expect(strict.B3).toMatchObject({ value: 'unknown', why: 'unobservable' });
    expect(strict.M2).toMatchObject({ value: 'unknown', why: 'unobservable' });
  });

  it('B4 (smooth multilocular < 100 mm) from septation × solid × papillary × morphology', () => {
    const rows = table(['septation', 'solid', 'papillary', 'morphology'], 'B4');
    expect(rows.slice(0, 27)).toBe('F'.repeat(27)); // no septation: never multilocular
    // septation 1: solid 0 & papillary 0 → regular: size unknown; irregular: F; morphology ?: missing.
    expect(rows.slice(27, 54)).toBe('uFm' + 'FFF' + 'mFm' + 'FFF' + 'FFF' + 'FFF' + 'mFm' + 'FFF' + 'mFm');
    expect(rows.slice(54, 57)).toBe('mFm'); // septation ?, solid 0, papillary 0
  });

  it('M1 (irregular solid tumour) from solid × morphology', () => {
    expect(table(['solid', 'morphology'], 'M1')).toBe('FFF' + 'FT*m' + 'Fmm');
    const strict = evaluateFeatures({ solid: 1, morphology: 1 }, { ascites: 'absent', acousticShadows: 'absent', irregularSolidIsM1: false });
    expect(strict.M1).toMatchObject({ value: 'unknown', why: 'unobservable' });
  });

  it('M3 (≥ 4 papillary structures) from papillary: the count is never recorded', () => {
    expect(table(['papillary'], 'M3')).toBe('Fum');
  });

  it('M4 (irregular multilocular-solid ≥ 100 mm) from septation × solid × papillary × morphology', () => {
    const rows = table(['septation', 'solid', 'papillary', 'morphology'], 'M4');
    expect(rows.slice(0, 27)).toBe('F'.repeat(27));
    // septation 1: no solid tissue → F; solid tissue → regular F, irregular size unknown, morphology ? missing;
    // solid tissue unknown → regular F (whatever it is), otherwise missing.
    expect(rows.slice(27, 54)).toBe('FFF' + 'Fum' + 'Fmm' + 'Fum' + 'Fum' + 'Fum' + 'Fmm' + 'Fum' + 'Fmm');
  });
});

describe('IOTA Simple Rules: combination', () => {
  it('malignant: ≥ 1 M and no B; benign: ≥ 1 B and no M; otherwise inconclusive', () => {
    expect(combineRules(false, true)).toBe('malignant');
    expect(combineRules(true, false)).toBe('benign');
    expect(combineRules(true, true)).toBe('inconclusive');
    expect(combineRules(false, false)).toBe('inconclusive');
  });

  const tumour = (p: ParameterValues) => ({ blood_flow: 0, morphology: 0, papillary: 0, septation: 0, solid: 0, ...p });

  it('decides when every filling-in of the unknowns agrees', () => {
    const cyst = evaluateSimpleRules(tumour({}));
    expect(cyst).toMatchObject({ verdict: 'benign', ifUnknownAbsent: 'benign', ifUnknownPresent: 'benign', undecidedBy: [] });
    expect(evaluateSimpleRules(tumour({ septation: 1 })).verdict).toBe('benign'); // B4 unknown, B5 true, no M
    expect(evaluateSimpleRules(tumour({ solid: 1 })).verdict).toBe('benign'); // regular, no flow: B5, every M false
    const irregularSolidWithFlow = evaluateSimpleRules(tumour({ solid: 1, morphology: 1, blood_flow: 1, septation: 1 }));
    expect(irregularSolidWithFlow).toMatchObject({ verdict: 'malignant', ifUnknownAbsent: 'malignant', ifUnknownPresent: 'malignant' });
  });

  it('inconclusive (IOTA): a B- and an M-feature both present, whatever the unknowns', () => {
    const result = evaluateSimpleRules(tumour({ solid: 1, morphology: 1 })); // B5 (no flow) and M1
    expect(result).toMatchObject({ verdict: 'inconclusive', ifUnknownAbsent: 'inconclusive', ifUnknownPresent: 'inconclusive', undecidedBy: [] });
  });

  it('not evaluable, from what the parameters never record: the bounds differ', () => {
    const result = evaluateSimpleRules(tumour({ blood_flow: 1 })); // unilocular (B1) with flow: M5 could be colour score 4
    expect(result).toMatchObject({ verdict: 'not-evaluable', ifUnknownAbsent: 'benign', ifUnknownPresent: 'inconclusive' });
    expect(result.undecidedBy).toEqual([{ feature: 'M5', why: 'unobservable' }]);
  });

  it('not evaluable, from a missing parameter — a different reason from the rules not applying', () => {
    const result = evaluateSimpleRules({ blood_flow: 0, morphology: 0, papillary: 0, solid: 0, septation: null });
    // B5 alone makes it benign whatever septation is: a missing input that does not matter is fine.
    expect(result.verdict).toBe('benign');
    const noFlow = evaluateSimpleRules({ blood_flow: null, morphology: 1, papillary: 0, septation: 1, solid: 0 });
    expect(noFlow.verdict).toBe('not-evaluable');
    expect(noFlow.undecidedBy).toContainEqual({ feature: 'B5', why: 'missing', needs: ['blood_flow'] });
    expect(noFlow.verdict).not.toBe(evaluateSimpleRules(tumour({ solid: 1, morphology: 1 })).verdict);
  });

  it('assumptions are explicit: with ascites unknown, a clear cyst is no longer decided', () => {
    const result = evaluateSimpleRules(tumour({}), { ascites: 'unknown', acousticShadows: 'absent', irregularSolidIsM1: true });
    expect(result.verdict).toBe('not-evaluable');
    expect(result.undecidedBy).toEqual([{ feature: 'M2', why: 'unobservable' }]);
  });
});

describe('IOTA Simple Rules scored on cases', () => {
  it('counts the four verdicts apart, coverage = decided share, sensitivity/specificity on decided cases with Wilson intervals', async () => {
    const { runRuleBaseline, wilson } = await import('../src');
    const base = { blood_flow: 0, morphology: 0, papillary: 0, septation: 0, solid: 0 };
    const result = runRuleBaseline([
      { caseId: 'cyst', parameters: base, malignancy: 0 }, // benign, right
      { caseId: 'cyst-wrong', parameters: base, malignancy: 1 }, // benign, wrong
      { caseId: 'irregular-solid-flow', parameters: { ...base, solid: 1, morphology: 1, blood_flow: 1 }, malignancy: 1 }, // malignant, right
      { caseId: 'irregular-solid-no-flow', parameters: { ...base, solid: 1, morphology: 1 }, malignancy: 1 }, // inconclusive
      { caseId: 'cyst-with-flow', parameters: { ...base, blood_flow: 1 }, malignancy: 0 }, // not evaluable (M5)
    ]);
    expect(result.summary.counts).toEqual({ benign: 2, malignant: 1, inconclusive: 1, 'not-evaluable': 1 });
    expect(result.summary.coverage).toMatchObject({ value: 0.6, count: 3, of: 5 });
    expect(result.summary.sensitivity).toMatchObject({ value: 0.5, count: 1, of: 2 });
    expect(result.summary.specificity).toMatchObject({ value: 1, count: 1, of: 1 });
    // Undecided referred as malignant: 2 of 3 malignant flagged, 1 of 2 benign cleared.
    expect(result.summary.sensitivityUndecidedAsMalignant).toMatchObject({ count: 2, of: 3 });
    expect(result.summary.specificityUndecidedAsMalignant).toMatchObject({ count: 1, of: 2 });
    expect(result.summary.confusion).toEqual([[1, 0], [1, 1]]);
    // Wilson 95% for 1/2 (reference: statsmodels proportion_confint(1, 2, method='wilson')).
    const w = wilson(1, 2);
    expect(w.lo).toBeCloseTo(0.09453120573, 8);
    expect(w.hi).toBeCloseTo(0.90546879427, 8);
  });
});
