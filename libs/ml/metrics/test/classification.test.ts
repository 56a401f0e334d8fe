import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, MetricInputError, precisionRecallF1, type ZeroDivision } from '../src';
import { expectAllNear, expectNear } from './near';
import reference from './reference/classification.json';

describe('classification metrics against scikit-learn', () => {
  for (const c of reference.cases) {
    const zeroDivision = c.zeroDivision as ZeroDivision;
    describe(`${c.name} (zero_division=${zeroDivision})`, () => {
      it('confusion matrix and accuracy', () => {
        const confusion = confusionMatrix(c.yTrue, c.yPred, c.classes);
        expect(confusion.classes).toEqual(c.classes);
        expect(confusion.counts).toEqual(c.expected.confusion);
        expectNear(accuracy(c.yTrue, c.yPred), c.expected.accuracy);
      });

      it('per-class precision, recall, F1 and support', () => {
        const scores = precisionRecallF1(c.yTrue, c.yPred, { classes: c.classes, zeroDivision });
        const per = c.expected.perClass;
        expect(scores.perClass.map((s) => s.class)).toEqual(c.classes);
        expectAllNear(scores.perClass.map((s) => s.precision), per.precision, 1e-9, 'precision');
        expectAllNear(scores.perClass.map((s) => s.recall), per.recall, 1e-9, 'recall');
        expectAllNear(scores.perClass.map((s) => s.f1), per.f1, 1e-9, 'f1');
        expect(scores.perClass.map((s) => s.support)).toEqual(per.support);
      });

      for (const averaging of ['macro', 'weighted'] as const) {
        it(`${averaging} averaging`, () => {
          const scores = precisionRecallF1(c.yTrue, c.yPred, { classes: c.classes, averaging, zeroDivision });
          const expected = c.expected[averaging];
          expectNear(scores.precision, expected.precision, 1e-9, 'precision');
          expectNear(scores.recall, expected.recall, 1e-9, 'recall');
          expectNear(scores.f1, expected.f1, 1e-9, 'f1');
          expectNear(scores.accuracy, c.expected.accuracy);
          expect(scores.positive).toBeNull();
        });
      }

      for (const expected of c.expected.binary) {
        it(`binary averaging, positive ${expected.positive}`, () => {
          const scores = precisionRecallF1(c.yTrue, c.yPred, {
            classes: c.classes,
            averaging: 'binary',
            positive: expected.positive,
            zeroDivision,
          });
          expect(scores.positive).toBe(expected.positive);
          expectNear(scores.precision, expected.precision, 1e-9, 'precision');
          expectNear(scores.recall, expected.recall, 1e-9, 'recall');
          expectNear(scores.f1, expected.f1, 1e-9, 'f1');
        });
      }
    });
  }

  it('covers the edge cases the brief names', () => {
    const names = reference.cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['never-predicted-3', 'absent-from-truth', 'all-one-class', 'codes-0134']));
  });
});

describe('classification input errors', () => {
  it('names the position and value of a label outside the class list', () => {
    expect(() => confusionMatrix([0, 1, 2], [0, 1, 1], [0, 1])).toThrow(/yTrue\[2\] = 2 is not one of the classes \[0, 1\]/);
    expect(() => precisionRecallF1([0, 3], [0, 2], { classes: [0, 1, 3, 4] })).toThrow(/yPred\[1\] = 2/);
  });

  it('rejects mismatched lengths, empty input, duplicate or empty class lists', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/yPred has 1 entries but yTrue has 2/);
    expect(() => accuracy([], [])).toThrow(MetricInputError);
    expect(() => confusionMatrix([0], [0], [0, 1, 0])).toThrow(/lists class 0 twice/);
    expect(() => confusionMatrix([0], [0], [])).toThrow(/classes is empty/);
    expect(() => confusionMatrix([0], [0], [Number.NaN])).toThrow(/classes\[0\] is NaN/);
  });

  it('binary averaging requires a listed positive class', () => {
    expect(() => precisionRecallF1([0, 1], [0, 1], { classes: [0, 1], averaging: 'binary' })).toThrow(/needs a positive class/);
    expect(() => precisionRecallF1([0, 1], [0, 1], { classes: [0, 1], averaging: 'binary', positive: 2 })).toThrow(
      /positive class 2 is not one of the classes/,
    );
  });

  it('defaults to macro averaging and zero_division 0', () => {
    // Class 1 is never predicted: its precision is 0/0 -> 0, so macro precision is (2/3)/2.
    const scores = precisionRecallF1([0, 0, 1], [0, 0, 0], { classes: [0, 1] });
    expect(scores.averaging).toBe('macro');
    expect(scores.perClass[1].precision).toBe(0);
    expectNear(scores.precision, (2 / 3 + 0) / 2);
  });
});
