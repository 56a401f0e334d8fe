// runs.facets through createCaller against real PostgreSQL: the runs table's filter menus hold
// every value the runs have (of a project, or all), with run counts; unknown projects NOT_FOUND.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index';
import { createFixture, type Fixture } from './fixture';
import { memberApi } from './callers';

let fx: Fixture;
let api: ReturnType<typeof createCaller>;

beforeAll(async () => {
  fx = await createFixture();
  api = memberApi(fx.repos);
});
afterAll(async () => {
  await fx.drop();
});

const pairs = (facets: readonly { value: string; count: number }[]) => facets.map((f) => [f.value, f.count]);

describe('runs.facets', () => {
  it("gives a project's backbones, task sets, statuses, dataset versions, sweeps, tags and series with run counts", async () => {
    const facets = await api.runs.facets({ projectId: fx.projectId });
    expect(facets.total).toBe(8);
    expect(pairs(facets.backbones)).toEqual([['mobilenet-v3-small', 2], ['resnet18', 2], ['vgg16', 4]]);
    expect(pairs(facets.statuses)).toEqual([['failed', 1], ['finished', 6], ['queued', 1]]);
    expect(pairs(facets.taskSets)).toEqual([['malignancy,morphology', 8]]);
    expect(facets.datasetVersions.map((v) => [v.value, v.datasetName, v.count])).toEqual([[fx.datasetVersionId, 'phantom-api', 8]]);
    expect(facets.sweeps.map((s) => [s.value, s.name, s.count])).toEqual([[fx.sweepId, 'backbones', 8]]);
    expect(pairs(facets.tags)).toEqual([['dataset=phantom-api', 6], ['purpose=baseline', 2], ['purpose=sweep', 4]]);
    expect(facets.tags[0]).toMatchObject({ key: 'dataset', tagValue: 'phantom-api' });
    expect(pairs(facets.metricKeys).filter(([key]) => key === 'val/loss' || key === 'final/test/malignancy/f1')).toEqual([['final/test/malignancy/f1', 6], ['val/loss', 6]]);
    expect(facets.truncated).toEqual([]);
    // Every facet value filters the runs table to exactly its count.
    for (const backbone of facets.backbones) expect((await api.runs.list({ projectId: fx.projectId, backbones: [backbone.value] })).total).toBe(backbone.count);
    for (const tag of facets.tags) expect((await api.runs.list({ projectId: fx.projectId, tag: { key: tag.key, value: tag.tagValue } })).total).toBe(tag.count);
    for (const set of facets.taskSets) expect((await api.runs.list({ projectId: fx.projectId, tasks: set.value.split(',') })).total).toBe(set.count);
  });

  it('spans every project without one, and says NOT_FOUND for an unknown project', async () => {
    const all = await api.runs.facets({});
    expect(all.total).toBe(9);
    expect(pairs(all.backbones)).toEqual([['mobilenet-v3-small', 2], ['resnet18', 3], ['vgg16', 4]]);
    expect(pairs(all.taskSets)).toEqual([['malignancy', 1], ['malignancy,morphology', 8]]);
    const code = async (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : 'other'));
    expect(await code(api.runs.facets({ projectId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await code(api.runs.facets({ projectId: 'garbage' }))).toBe('NOT_FOUND');
  });
});
