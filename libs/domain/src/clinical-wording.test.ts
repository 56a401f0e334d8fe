import { describe, expect, it } from 'vitest';
import { clinicalQuestion, describeAccuracy, describeAuc } from './clinical-wording';

describe('clinical wording', () => {
  it('says what a score means and how uncertain it is', () => {
    expect(describeAccuracy({ value: 0.7308, lo: 0.6204, hi: 0.8205 }, 78)).toBe('correct in 73% of 78 test cases; 95% CI 62–82%');
    expect(describeAccuracy({ value: 0.5, lo: null, hi: null }, 4)).toBe('correct in 50% of 4 test cases; no confidence interval (too few cases or runs)');
    expect(describeAuc({ value: 0.812, lo: 0.72, hi: 0.891 })).toBe('AUC 0.81; 95% CI 0.72–0.89 (0.5 is no better than chance, 1 is perfect ranking)');
  });

  it('names the classes in clinical words', () => {
    expect(clinicalQuestion('blood_flow')).toBe('blood flow signal present or no blood flow signal');
    expect(clinicalQuestion('morphology')).toBe('irregular morphology or regular morphology');
    expect(clinicalQuestion('echogenicity')).toBe('anechoic content, hypoechoic content, isoechoic content or hyperechoic content');
  });
});
