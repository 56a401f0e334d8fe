import { describe, expect, it } from 'vitest';
import { scoreTask } from '../src';
import { expectAllNear, expectNear } from './near';
import reference from './reference/bootstrap.json';

describe('scoreTask against scikit-learn (estimates) and the bootstrap re-computation (intervals)', () => {
  for (const c of reference.cases) {
    it(c.name, () => {
      const scores = scoreTask({
        yTrue: c.yTrue,
        yPred: c.yPred,
        probabilities: c.probabilities,
        classes: c.classes,
        bootstrap: { resamples: c.resamples, seed: c.seed, level: c.level },
      });
      const e = c.expected;
      expect(scores.averaging).toBe('macro');
      expect(scores.n).toBe(c.yTrue.length);
      expect(scores.positive).toBe(c.positive);
      expectNear(scores.accuracy, e.accuracy);
      expectNear(scores.precision, e.precision);
      expectNear(scores.recall, e.recall);
      expectNear(scores.f1, e.f1);
      expectNear(scores.auc, e.auc, 1e-12);
      expect(scores.confusion.counts).toEqual(e.confusion);
      expect(scores.support).toEqual(e.support);
      expectAllNear(scores.perClass.map((p) => p.precision), e.perClass.precision);
      expectAllNear(scores.perClass.map((p) => p.recall), e.perClass.recall);
      expectAllNear(scores.perClass.map((p) => p.f1), e.perClass.f1);

      if (e.roc) {
        expect(scores.roc).toHaveLength(1);
        const curve = scores.roc[0].curve;
        expect(scores.roc[0].class).toBe(c.positive);
        expectAllNear(curve?.fpr ?? [], e.roc.fpr, 1e-12);
        expectAllNear(curve?.tpr ?? [], e.roc.tpr, 1e-12);
        expect(curve?.thresholds.slice(1)).toEqual(e.roc.thresholdsAfterFirst);
      } else {
        expect(scores.roc.map((r) => r.class)).toEqual(c.classes);
      }

      expect(scores.ci).not.toBeNull();
      for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const) {
        const ci = scores.ci?.[metric];
        const expected = e.ci[metric];
        expectNear(ci?.estimate ?? null, expected.estimate, 1e-12, `${metric} estimate`);
        expectNear(ci?.lo ?? null, expected.lo, 1e-9, `${metric} lo`);
        expectNear(ci?.hi ?? null, expected.hi, 1e-9, `${metric} hi`);
        expect(ci?.resamples, metric).toBe(expected.resamples);
      }
    });
  }
});

describe('scoreTask edge cases', () => {
  const probabilities = [
    [0.8, 0.2],
    [0.6, 0.4],
    [0.3, 0.7],
    [0.9, 0.1],
  ];

  it('all labels one class: AUC, ROC and its interval are null, the rest defined', () => {
    const scores = scoreTask({
      yTrue: [0, 0, 0, 0],
      yPred: [0, 0, 1, 0],
      probabilities,
      classes: [0, 1],
      bootstrap: { resamples: 20, seed: 1 },
    });
    expect(scores.auc).toBeNull();
    expect(scores.roc).toEqual([{ class: 1, curve: null }]);
    expect(scores.accuracy).toBe(0.75);
    expect(scores.support).toEqual([4, 0]);
    expect(scores.ci?.auc).toEqual({ estimate: null, lo: null, hi: null, resamples: 0 });
    expect(scores.ci?.accuracy.resamples).toBe(20);
  });

  it('a class never predicted scores 0 precision (zero_division 0)', () => {
    const scores = scoreTask({ yTrue: [0, 1, 1, 0], yPred: [0, 0, 0, 0], probabilities, classes: [0, 1] });
    expect(scores.perClass[1].precision).toBe(0);
    expect(scores.ci).toBeNull();
  });

  it('multi-class with a class absent from the labels: macro AUC over the present ones', () => {
    const scores = scoreTask({
      yTrue: [0, 1, 4, 4, 0, 1],
      yPred: [0, 1, 4, 3, 0, 0],
      probabilities: [
        [0.7, 0.1, 0.1, 0.1],
        [0.1, 0.6, 0.2, 0.1],
        [0.1, 0.1, 0.2, 0.6],
        [0.1, 0.1, 0.5, 0.3],
        [0.4, 0.3, 0.2, 0.1],
        [0.5, 0.4, 0.05, 0.05],
      ],
      classes: [0, 1, 3, 4],
    });
    expect(scores.positive).toBeNull();
    expect(scores.perClass[2].auc).toBeNull();
    const present = [0, 1, 3].map((j) => scores.perClass[j].auc as number);
    expectNear(scores.auc, (present[0] + present[1] + present[2]) / 3, 1e-15);
    expect(scores.roc.find((r) => r.class === 3)?.curve).toBeNull();
  });

  it('binary averaging scores the positive class', () => {
    const scores = scoreTask({
      yTrue: [0, 1, 1, 0],
      yPred: [0, 1, 0, 1],
      probabilities,
      classes: [0, 1],
      averaging: 'binary',
      positive: 0,
    });
    expect(scores.positive).toBe(0);
    expect([scores.precision, scores.recall]).toEqual([0.5, 0.5]);
    expect(scores.roc[0].class).toBe(0);
  });

  it('rejects a NaN probability with its row and column', () => {
    expect(() =>
      scoreTask({
        yTrue: [0, 1],
        yPred: [0, 1],
        probabilities: [
          [0.5, 0.5],
          [0.2, Number.NaN],
        ],
        classes: [0, 1],
      }),
    ).toThrow(/probabilities\[1\]\[1\] is NaN: probabilities must be finite numbers/);
  });

  it('rejects binary averaging on a multi-class task without a positive class, and unknown positives', () => {
    const base = { yTrue: [0, 1, 2], yPred: [0, 1, 2], probabilities: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], classes: [0, 1, 2] };
    expect(() => scoreTask({ ...base, averaging: 'binary' })).toThrow(/needs positive/);
    expect(() => scoreTask({ ...base, positive: 5 })).toThrow(/positive class 5 is not one of the classes/);
  });
});
