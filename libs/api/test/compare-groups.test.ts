// compareGroups through createCaller against real PostgreSQL: groups of a sweep (runs differing
// only in seed) compared with mean ± t-interval, config diff without the seed, paired tests with
// runs paired per seed and the matched cases pooled, mean curves; refusals and bad input.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index';
import { createFixture, type Fixture } from './fixture';
import { codeOf, memberApi } from './callers';

const A = 'mobilenet-v3-small|0.25|64';
const B = 'vgg16|1|64';
const C = 'resnet18|1|64';

let fx: Fixture;
let api: ReturnType<typeof createCaller>;
let elsewhere: { sweepId: string; groupKey: string };

beforeAll(async () => {
  fx = await createFixture();
  api = memberApi(fx.repos);
  // A group in another sweep whose only run has seed 5 and predicted cases no other run has.
  const { sweep } = await fx.repos.sweeps.create(fx.projectId, 'elsewhere', { other: true });
  const groupKey = 'resnet18|1|32';
  const { run } = await fx.store.createRun({ projectId: fx.projectId, sweepId: sweep.id, groupKey, name: 'resnet18 elsewhere', backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 5, config: { backbone: 'resnet18', imageSize: 32, seed: 5 } });
  await fx.store.setRunStatus(run.id, 'running');
  await fx.store.logBatch(run.id, {
    predictions: Array.from({ length: 6 }, (_, i) => ({ split: 'test' as const, task: 'malignancy', caseId: `elsewhere-${i}`, label: i % 2, predicted: i % 2, probabilities: [0.3, 0.7] })),
  });
  await fx.store.setRunStatus(run.id, 'finished');
  elsewhere = { sweepId: sweep.id, groupKey };
});
afterAll(async () => {
  await fx.drop();
});

describe('compareGroups', () => {
  it("gives each group's scores as mean ± t-interval over its runs, the same as the backbone table", async () => {
    const result = await api.compareGroups.get({ groups: [{ sweepId: fx.sweepId, groupKey: A }, { sweepId: fx.sweepId, groupKey: B }, { sweepId: fx.sweepId, groupKey: C }] });
    expect(result.groups.map((g) => [g.name, g.n, g.runs.map((r) => r.seed).sort()])).toEqual([
      ['mobilenet-v3-small ×0.25 64px', 2, [1, 2]],
      ['vgg16 64px', 2, [1, 2]],
      ['resnet18 64px', 2, [1, 2]],
    ]);
    const table = await api.sweeps.backboneTable({ id: fx.sweepId });
    for (const group of result.groups) {
      const row = table.rows.find((r) => r.groupKey === group.groupKey);
      for (const score of ['accuracy', 'f1', 'auc'] as const) {
        expect(group.scores[score]?.mean).toBeCloseTo(row?.scores[score]?.mean as number, 12);
        expect(group.scores[score]?.lo).toBeCloseTo(row?.scores[score]?.lo as number, 12);
        expect(group.scores[score]?.hi).toBeCloseTo(row?.scores[score]?.hi as number, 12);
      }
    }
    expect(result.groups[0]?.scores.f1?.mean).toBeCloseTo(0.81, 12);
    // Networks decide every case: no coverage.
    expect(result.groups.map((g) => g.coverage)).toEqual([null, null, null]);
    // The seed varies inside every group the same way, so only the settings differ.
    expect(result.configDiff.map((d) => d.path)).toEqual(['backbone', 'backboneOptions.widthMultiplier']);
  });

  it('pairs runs per seed and pools the matched test cases for McNemar and DeLong against the first group', async () => {
    const result = await api.compareGroups.get({ groups: [{ sweepId: fx.sweepId, groupKey: A }, { sweepId: fx.sweepId, groupKey: B }] });
    const [test] = result.pairedTests;
    expect(test?.pairing.by).toBe('seed');
    expect(test?.pairing.pairs.map((p) => [p.seed, p.againstSeed])).toEqual([[1, 1], [2, 2]]);
    expect(test?.pairing.sentence).toMatch(/^Paired per seed: vgg16 64px and mobilenet-v3-small ×0\.25 64px were matched run by run on seed 1, seed 2/);
    // Both seeds' test cases count: vgg16 gets 8 and 9 of the first cases wrong, mobilenet 0 and 1
    // (the first case is wrong on both sides for seed 2), so 8 + 8 discordant cases favour mobilenet.
    expect(test?.cases).toBe(2 * fx.testCases.length);
    expect(test?.mcnemar).toMatchObject({ b: 0, c: 16, method: 'exact' });
    expect(test?.mcnemar?.pValue).toBeCloseTo(2 * 0.5 ** 16, 12);
    expect(test?.delong).not.toBeNull();
    expect(test?.sentence).toMatch(/unlikely to be chance/);
    expect(result.refused).toBeNull();
  });

  it('refuses, by name, groups that share no test cases, and pairs in seed order when no seed is shared', async () => {
    const result = await api.compareGroups.get({ groups: [{ sweepId: fx.sweepId, groupKey: C }, elsewhere] });
    const [test] = result.pairedTests;
    expect(test?.pairing.by).toBe('order');
    expect(test?.pairing.sentence).toMatch(/share no seed, so the i-th run of each \(by seed\) were matched \(seed 5 with seed 1\)/);
    expect(test?.refused).toBe('resnet18 32px and resnet18 64px share no test cases (different dataset versions or splits): a paired test needs the same cases.');
    expect(test?.mcnemar).toBeNull();
    expect(result.refused).toMatch(/^No group shares test cases with resnet18 64px/);
  });

  it('draws one mean curve per group', async () => {
    const curves = await api.compareGroups.curves({ groups: [{ sweepId: fx.sweepId, groupKey: A }, { sweepId: fx.sweepId, groupKey: B }], key: 'val/malignancy/f1' });
    expect(curves.map((c) => [c.name, c.runs, c.points.length, c.points.at(-1)?.value.toFixed(3)])).toEqual([
      ['mobilenet-v3-small ×0.25 64px', 2, 5, '0.810'],
      ['vgg16 64px', 2, 5, '0.410'],
    ]);
    expect(curves[0]?.points.map((p) => p.runs)).toEqual([2, 2, 2, 2, 2]);
  });

  it('says NOT_FOUND for an unknown sweep or group, and BAD_REQUEST for bad group lists', async () => {
    const a = { sweepId: fx.sweepId, groupKey: A };
    expect(await codeOf(api.compareGroups.get({ groups: [a, { sweepId: randomUUID(), groupKey: A }] }))).toBe('NOT_FOUND');
    expect(await codeOf(api.compareGroups.get({ groups: [a, { sweepId: 'garbage', groupKey: A }] }))).toBe('NOT_FOUND');
    expect(await codeOf(api.compareGroups.get({ groups: [a, { sweepId: fx.sweepId, groupKey: 'no-such-group' }] }))).toBe('NOT_FOUND');
    expect(await codeOf(api.compareGroups.get({ groups: [a] }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compareGroups.get({ groups: [a, a] }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compareGroups.get({ groups: Array.from({ length: 11 }, (_, i) => ({ sweepId: fx.sweepId, groupKey: `g${i}` })) }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compareGroups.get({ groups: [a, { sweepId: fx.sweepId, groupKey: B }], task: 'nose' }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compareGroups.curves({ groups: [a, { sweepId: fx.sweepId, groupKey: B }], key: 'x', maxPoints: 100_000 }))).toBe('BAD_REQUEST');
  });
});
