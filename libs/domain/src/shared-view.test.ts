import { describe, expect, it } from 'vitest';
import { composeRunView, composeSelectionView, composeSweepView } from './shared-view';

const row = (task: string, accuracy: number, support: number) => ({ task, accuracy, accuracyLo: accuracy - 0.1, accuracyHi: accuracy + 0.08, auc: 0.8, aucLo: 0.7, aucHi: 0.9, support });

describe('shared views for clinicians', () => {
  it('words a run\'s results per clinical parameter with meaning and uncertainty', () => {
    const view = composeRunView({ backbone: 'resnet18', finished: true }, [row('malignancy', 0.73, 78), row('blood_flow', 0.8, 78), row('not-a-task', 1, 1)]);
    expect(view.findings.map((f) => f.task)).toEqual(['blood_flow', 'malignancy']);
    expect(view.findings[0]).toMatchObject({ title: 'Blood flow signal', question: 'blood flow signal present or no blood flow signal' });
    expect(view.findings[1].accuracy.text).toBe('correct in 73% of 78 test cases; 95% CI 63–81%');
    expect(view.caveat).toMatch(/^This is research software\./);
    expect(composeRunView({ backbone: 'resnet18', finished: false }, [row('malignancy', 0.7, 10)])).toMatchObject({ findings: [], notice: expect.stringContaining('not finished') });
  });

  it('orders a sweep\'s models by accuracy and says how many runs each figure averages', () => {
    const view = composeSweepView([
      { backbone: 'vgg16', runs: 1, testCases: 52, accuracy: { value: 0.6, lo: 0.47, hi: 0.73 } },
      { backbone: 'resnet18', runs: 3, testCases: 52, accuracy: { value: 0.7, lo: 0.65, hi: 0.75 } },
    ]);
    expect(view.models.map((m) => m.text)).toEqual([
      'correct in 70% of 52 test cases; 95% CI 65–75% (average of 3 training runs)',
      'correct in 60% of 52 test cases; 95% CI 47–73%',
    ]);
  });

  it('says which parameters a selection kept and why, in words', () => {
    const view = composeSelectionView([
      { parameter: 'morphology', selected: true, ablationDelta: -0.04, ablationLo: -0.07, ablationHi: -0.01, association: 0.42, associationP: 0.0004 },
    ]);
    expect(view.parameters[0].sentences).toEqual([
      'Kept as a key parameter.',
      'Learning this feature alongside, compared with leaving it out, changed how well the model tells benign from malignant by −0.04 on the F1 score (0 to 1, higher is better); 95% CI −0.07 to −0.01.',
      "In the labelled cases its link with malignancy has strength 0.42 on a 0 to 1 scale (Cramér's V, p < 0.001).",
      'The published study this work follows also chose it as a key feature.',
    ]);
  });

  it('says why in plain words when the rule\'s verdicts are given', () => {
    const view = composeSelectionView([
      { parameter: 'echogenicity', selected: false, ablationDelta: null, ablationLo: null, ablationHi: null, association: 0.5, associationP: 0.001, criteria: { association: 'pass', balance: 'pass', predictability: 'fail', contribution: 'not-evaluated' } },
      { parameter: 'blood_flow', selected: true, ablationDelta: null, ablationLo: null, ablationHi: null, association: 0.6, associationP: 0.0001, criteria: { association: 'pass', balance: 'pass', predictability: 'pass', contribution: 'not-evaluated' } },
    ]);
    expect(view.parameters.map((p) => [p.title, p.kept, p.sentences[0]])).toEqual([
      ['Internal echogenicity', false, 'Not kept because the model could not recognise it from the images clearly better than chance.'],
      [
        'Blood flow signal',
        true,
        'Kept because it is clearly linked with malignancy in the labelled cases and the model recognises it from the images clearly better than chance.',
      ],
    ]);
  });
});
