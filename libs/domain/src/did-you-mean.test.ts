import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './did-you-mean';

describe('did you mean', () => {
  it('counts a swap of two adjacent letters as one edit', () => {
    expect(editDistance('septaiton', 'septation')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests across case and word separators, and for abbreviations', () => {
    expect(closestMatch('learning_rate', ['learningRate', 'epochs'])).toBe('learningRate');
    expect(closestMatch('Blood Flow', ['blood_flow', 'boundary'])).toBe('blood_flow');
    expect(closestMatch('septaton', ['septation', 'solid'])).toBe('septation');
    expect(closestMatch('densenet12', ['densenet121', 'densenet169'])).toBe('densenet121');
    expect(closestMatch('morph', ['morphology', 'malignancy'])).toBe('morphology');
  });

  it('says nothing when no candidate is close', () => {
    expect(closestMatch('colour', ['epochs', 'seed'])).toBeUndefined();
    expect(didYouMean('xyz', [])).toBe('');
    expect(didYouMean('epoch', ['epochs'])).toBe(" — did you mean 'epochs'?");
  });
});
