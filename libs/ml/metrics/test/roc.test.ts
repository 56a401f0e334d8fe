import { describe, expect, it } from 'vitest';
import { rocAuc, rocAucOneVsRest, rocCurve } from '../src';
import { weightedAucEvaluator } from '../src/roc';
import { expectAllNear, expectNear } from './near';
import reference from './reference/roc.json';

describe('ROC curve and AUC against scikit-learn', () => {
  for (const c of reference.binary) {
    describe(c.name, () => {
      it('AUC', () => {
        expectNear(rocAuc(c.yTrue, c.scores, c.positive), c.auc, 1e-12);
      });

      for (const [key, dropIntermediate] of [
        ['drop', true],
        ['all', false],
      ] as const) {
        it(`curve points (dropIntermediate ${dropIntermediate})`, () => {
          const curve = rocCurve(c.yTrue, c.scores, c.positive, { dropIntermediate });
          const expected = c.curves[key];
          expect(curve).not.toBeNull();
          if (!curve) return;
          expectAllNear(curve.fpr, expected.fpr, 1e-12, 'fpr');
          expectAllNear(curve.tpr, expected.tpr, 1e-12, 'tpr');
          expect(curve.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
          expect(curve.thresholds.slice(1)).toEqual(expected.thresholdsAfterFirst);
        });
      }
    });
  }

  for (const c of reference.multiclass) {
    it(`one-vs-rest macro AUC: ${c.name}`, () => {
      const result = rocAucOneVsRest(c.yTrue, c.probabilities, c.classes);
      result.perClass.forEach((p, j) => {
        expect(p.class).toBe(c.classes[j]);
        expectNear(p.auc, c.perClass[j], 1e-12, `class ${p.class}`);
      });
      expectNear(result.macro, c.macro, 1e-12);
      expect(result.undefinedClasses).toEqual(c.classes.filter((_, j) => c.perClass[j] === null));
    });
  }

  it('includes a class absent from the labels and a fully tied case', () => {
    expect(reference.multiclass.some((c) => c.perClass.includes(null))).toBe(true);
    expect(reference.binary.find((c) => c.name === 'all-tied')?.auc).toBe(0.5);
  });
});

describe('ROC edge cases', () => {
  it('AUC and curve are null when the labels hold a single class', () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9], 1)).toBeNull();
    expect(rocAuc([0, 0, 0], [0.2, 0.5, 0.9], 1)).toBeNull();
    expect(rocCurve([0, 0, 0], [0.2, 0.5, 0.9], 1)).toBeNull();
  });

  it('one-vs-rest macro is null only when no class has an AUC', () => {
    const result = rocAucOneVsRest([2, 2], [[0.1, 0.9], [0.3, 0.7]], [1, 2]);
    expect(result.macro).toBeNull();
    expect(result.undefinedClasses).toEqual([1, 2]);
  });

  it('rejects NaN scores and probabilities with the position', () => {
    expect(() => rocAuc([0, 1, 1], [0.1, Number.NaN, 0.4], 1)).toThrow(/scores\[1\] is NaN.*finite/);
    expect(() => rocCurve([0, 1], [0.1, Number.POSITIVE_INFINITY], 1)).toThrow(/scores\[1\] is Infinity/);
    expect(() =>
      rocAucOneVsRest(
        [0, 1],
        [
          [0.5, 0.5],
          [Number.NaN, 1],
        ],
        [0, 1],
      ),
    ).toThrow(/probabilities\[1\]\[0\] is NaN/);
  });

  it('rejects a probability row of the wrong width and labels outside the classes', () => {
    expect(() => rocAucOneVsRest([0, 1], [[1, 0], [0]], [0, 1])).toThrow(/probabilities\[1\] has 1 columns but there are 2 classes/);
    expect(() => rocAucOneVsRest([0, 7], [[1, 0], [0, 1]], [0, 1])).toThrow(/yTrue\[1\] = 7/);
  });

  it('a perfect ranking has AUC 1 and passes through (0, 1)', () => {
    const curve = rocCurve([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1)).toBe(1);
    expect(curve?.fpr).toEqual([0, 0, 0, 1]);
    expect(curve?.tpr).toEqual([0, 0.5, 1, 1]);
  });
});

describe('weighted AUC evaluator (used by the bootstrap)', () => {
  it('equals the midrank AUC of the cases repeated by their weights', () => {
    const c = reference.binary.find((b) => b.name === 'ties-one-decimal');
    expect(c).toBeDefined();
    if (!c) return;
    const weights = c.yTrue.map((_, i) => (i * 7) % 4); // 0..3 copies, some cases dropped
    const repeatedLabels = c.yTrue.flatMap((y, i) => new Array<number>(weights[i]).fill(y));
    const repeatedScores = c.scores.flatMap((s, i) => new Array<number>(weights[i]).fill(s));
    const evaluate = weightedAucEvaluator(c.scores);
    expectNear(
      evaluate(
        c.yTrue.map((y) => y === c.positive),
        weights,
      ),
      rocAuc(repeatedLabels, repeatedScores, c.positive),
      1e-12,
    );
    expect(evaluate(c.yTrue.map(() => true), weights)).toBeNull();
  });
});
