import { describe, expect, it } from 'vitest';
import { CLINICAL_PARAMETERS, PAPER_LABEL_COUNTS } from '@ovus/domain';
import {
  analyzeContribution,
  analyzePredictability,
  greedyForwardPath,
  meanInterval,
  pairedTTest,
  permutationChanceF1,
  runSelection,
  tableFromCounts,
} from '../src';
import { ALL, run, score, without } from './fixtures';
import { expectClose } from './near';

describe('mean interval and paired t-test (values from scipy.stats.t / ttest_1samp)', () => {
  it('t interval over three runs', () => {
    const m = meanInterval([1, 2, 3])!;
    expect(m.mean).toBe(2);
    expect(m.sd).toBe(1);
    expectClose(m.hi! - m.mean, 4.302652729911275 / Math.sqrt(3), 1e-10, 'half-width');
  });
  it('one value: mean, no interval; none: null', () => {
    expect(meanInterval([0.4])).toEqual({ mean: 0.4, n: 1, sd: null, lo: null, hi: null });
    expect(meanInterval([])).toBeNull();
  });
  it('paired t-test p', () => {
    expectClose(pairedTTest([1, 2, 3])!.p, 0.07417990022744853, 1e-9, 'p');
    expectClose(pairedTTest([0.02, -0.01, 0.03, 0.0])!.p, 0.35338746628869805, 1e-9, 'p');
    expect(pairedTTest([0.1])).toBeNull();
    expect(pairedTTest([0, 0])?.p).toBe(1);
  });
});

describe('permutation chance level of macro F1', () => {
  it('equals the F1 of a model that always answers the majority class', () => {
    // 30 benign, 10 malignant, everything called benign: F1 = (2·30/70 + 0)/2.
    expectClose(permutationChanceF1([[30, 0], [10, 0]]), 30 / 70, 1e-15);
  });
  it('is 1/k when predictions are distributed like the truth, whatever the class balance', () => {
    expectClose(permutationChanceF1([[20, 10], [10, 0]]), 0.5, 1e-15); // 30/10 true, 30/10 predicted
    expectClose(permutationChanceF1([[5, 1, 0, 0], [1, 3, 0, 0], [0, 0, 2, 0], [0, 0, 0, 8]]), 0.25, 1e-15);
  });
});

describe('predictability', () => {
  const confusion = [[25, 5], [5, 5]]; // chance 0.5 (predictions balanced like the truth)
  const runs = [
    run(ALL, 0.7, 's0', { blood_flow: score(0.8, 0.9, confusion) }, 'a'),
    run(ALL, 0.7, 's1', { blood_flow: score(0.9, 0.95, confusion) }, 'a'),
    run(ALL, 0.7, 's0', { blood_flow: score(0.6, 0.7, confusion) }, 'b'),
    run(['blood_flow'], 0.7, 's0', { blood_flow: score(0.99, 0.99, confusion) }, 'a'), // single-task: not counted
  ];
  const [bf] = analyzePredictability(runs, ['blood_flow']);
  it('per backbone group and pooled, excess over chance', () => {
    expect(bf.groups.map((g) => [g.backbone, g.runIds.length])).toEqual([['a', 2], ['b', 1]]);
    expectClose(bf.groups[0].f1!.mean, 0.85, 1e-12);
    expectClose(bf.pooled!.f1!.mean, (0.8 + 0.9 + 0.6) / 3, 1e-12);
    expectClose(bf.pooled!.f1AboveChance!.mean, (0.8 + 0.9 + 0.6) / 3 - 0.5, 1e-12);
    expect(bf.chanceF1Prior).toBe(0.5);
  });
  it('one run: its bootstrap interval is used', () => {
    const single = run(ALL, 0.7, 's0', { septation: { ...score(0.7, 0.8, confusion), f1Lo: 0.6, f1Hi: 0.8, aucLo: 0.7, aucHi: 0.9 } });
    const [sep] = analyzePredictability([single], ['septation']);
    expectClose(sep.pooled!.f1AboveChance!.lo, 0.1, 1e-12);
    expect(sep.pooled!.auc!.lo).toBe(0.7);
  });
});

describe('contribution', () => {
  it('pairs runs by setting and replicate; with − without', () => {
    const runs = [
      run(ALL, 0.7, 's0'),
      run(ALL, 0.72, 's1'),
      run(ALL, 0.74, 's2'),
      run(without('blood_flow'), 0.6, 's0'),
      run(without('blood_flow'), 0.64, 's1'),
      run(without('blood_flow'), 0.65, 's2'),
      run(without('blood_flow'), 0.1, 's9'), // no partner: ignored
      run(['malignancy'], 0.6, 's0'),
      run(['blood_flow', 'malignancy'], 0.66, 's0'),
    ];
    const [bf, boundary] = analyzeContribution(runs, ['blood_flow', 'boundary']);
    expect(bf.removed!.pairs.map((p) => p.replicate)).toEqual(['s0', 's1', 's2']);
    expectClose(bf.removed!.f1!.mean, (0.1 + 0.08 + 0.09) / 3, 1e-12);
    expect(bf.removed!.f1P).toBeLessThan(0.05);
    expectClose(bf.alone!.f1!.mean, 0.06, 1e-12);
    expect(bf.alone!.f1!.lo).toBeNull();
    expect(boundary.removed).toBeNull();
  });
  it('McNemar and DeLong on the same test cases when predictions are stored', () => {
    const cases = Array.from({ length: 20 }, (_, i) => ({ caseId: `c${i}`, yTrue: i % 2 }));
    const a = { ...run(ALL, 0.8, 's0'), malignancyPredictions: cases.map((c) => ({ ...c, yPred: c.yTrue, score: c.yTrue ? 0.9 : 0.1 })) };
    const b = { ...run(without('solid'), 0.5, 's0'), malignancyPredictions: cases.map((c, i) => ({ ...c, yPred: i < 10 ? 1 - c.yTrue : c.yTrue, score: 0.5 })) };
    const [solid] = analyzeContribution([a, b], ['solid']);
    const [tests] = solid.removed!.caseTests;
    // 10 discordant pairs, all one way: exact McNemar p = 2 · 0.5^10.
    expect(tests.cases).toBe(20);
    expectClose(tests.mcnemarP, 2 * 0.5 ** 10, 1e-12);
    expect(tests.delongP).toBeLessThan(0.05);
  });
});

describe('greedy forward selection', () => {
  it('adds the best parameter, stops when nothing helps', () => {
    const runs = [
      run(['malignancy'], 0.6, 's0'),
      ...CLINICAL_PARAMETERS.map((p) => run([p, 'malignancy'], p === 'morphology' ? 0.7 : 0.61, 's0')),
      ...CLINICAL_PARAMETERS.filter((p) => p !== 'morphology').map((p) => run([p, 'morphology', 'malignancy'], 0.69, 's0')),
    ];
    const path = greedyForwardPath(runs, CLINICAL_PARAMETERS);
    expect(path.steps.map((s) => s.selected)).toEqual([[], ['morphology']]);
    expect(path.stop).toBe('no-gain');
    expectClose(path.steps[1].gain, 0.1, 1e-12);
  });
  it('says which task sets are missing for the next step', () => {
    const runs = [run(['malignancy'], 0.6, 's0'), run(['solid', 'malignancy'], 0.7, 's0')];
    const path = greedyForwardPath(runs, ['septation', 'solid']);
    expect(path.stop).toBe('missing-runs');
    expect(path.missing).toEqual([['septation']]);
    expect(greedyForwardPath([], ['solid']).stop).toBe('no-start');
  });
});

describe('runSelection', () => {
  const tables = CLINICAL_PARAMETERS.map((p) => tableFromCounts(p, PAPER_LABEL_COUNTS[p].benign, PAPER_LABEL_COUNTS[p].malignant));

  it("on the paper's counts alone selects the paper's four parameters", () => {
    const result = runSelection({ tables });
    expect([...result.selected].sort()).toEqual(['blood_flow', 'morphology', 'septation', 'solid']);
    expect(result.findings.map((f) => f.parameter)).toEqual(['blood_flow', 'morphology', 'solid', 'septation', 'echogenicity', 'boundary', 'papillary']);
    const echo = result.findings.find((f) => f.parameter === 'echogenicity')!;
    expect(echo.reason).toMatch(/^Dropped: its rarest code \(Isoechoic\) holds 5.1% .* although associated with malignancy/);
    expect(result.ruleText.join('\n')).toMatch(/minClassShare = 10%/);
  });

  it('drops a parameter not predicted above chance, and one whose head harms malignancy', () => {
    const confusion = [[25, 5], [5, 5]];
    const good = (f1: number) => ({ ...score(f1, 0.8, confusion), f1Lo: f1 - 0.05, f1Hi: f1 + 0.05, aucLo: 0.7, aucHi: 0.9 });
    const extra = Object.fromEntries(CLINICAL_PARAMETERS.map((p) => [p, good(p === 'morphology' ? 0.5 : 0.8)]));
    const runs = [
      run(ALL, 0.7, 's0', extra),
      run(ALL, 0.7, 's1', extra),
      run(without('blood_flow'), 0.8, 's0'),
      run(without('blood_flow'), 0.81, 's1'),
    ];
    const result = runSelection({ tables, runs });
    const byName = Object.fromEntries(result.findings.map((f) => [f.parameter, f]));
    expect(byName.morphology.selected).toBe(false);
    expect(byName.morphology.reason).toMatch(/not predicted clearly above chance/);
    expect(byName.blood_flow.selected).toBe(false);
    expect(byName.blood_flow.reason).toMatch(/harms malignancy/);
    expect([...result.selected].sort()).toEqual(['septation', 'solid']);
    expect(result.runIds).toHaveLength(4);
  });

  it('refuses bad thresholds and repeated tables', () => {
    expect(() => runSelection({ tables, thresholds: { alpha: 2 } })).toThrow(/alpha = 2/);
    expect(() => runSelection({ tables: [tables[0], tables[0]] })).toThrow(/two counts tables/);
  });
});
