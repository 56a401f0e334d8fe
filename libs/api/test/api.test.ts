// Every procedure through createCaller against real PostgreSQL (data written through the tracking
// store): filters, paging bounds, NOT_FOUND for unknown ids, oversize limits refused; and the HTTP
// error shape (no stack, no internal message) through tRPC's fetch adapter.
import { randomUUID } from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCaller, createContext, downloadArtifact, INTERNAL_ERROR_MESSAGE, type DashboardDatabase } from '../src/index';
import { createFixture, type Fixture } from './fixture';
import { codeOf, memberApi, TEST_MEMBER } from './callers';

let fx: Fixture;
let api: ReturnType<typeof createCaller>;

beforeAll(async () => {
  fx = await createFixture();
  api = memberApi(fx.repos);
});
afterAll(async () => {
  await fx.drop();
});

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('projects', () => {
  it('lists by name with counts, pages with a cursor, and refuses oversize limits', async () => {
    const all = await api.projects.list({});
    expect(all.items.map((p) => [p.name, p.sweepCount, p.runCount])).toEqual([
      ['api-other', 0, 1],
      ['api-test', 1, 8],
    ]);
    const first = await api.projects.list({ limit: 1 });
    expect(first.items.map((p) => p.name)).toEqual(['api-other']);
    const second = await api.projects.list({ limit: 1, cursor: first.nextCursor });
    expect(second).toMatchObject({ items: [{ name: 'api-test' }], nextCursor: null });
    expect(await codeOf(api.projects.list({ limit: 101 }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.projects.list({ limit: 0 }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.projects.list({ cursor: 'not-a-cursor' }))).toBe('BAD_REQUEST');
  });

  it('gets one, and says NOT_FOUND for unknown and malformed ids', async () => {
    expect((await api.projects.get({ id: fx.projectId })).name).toBe('api-test');
    expect(await codeOf(api.projects.get({ id: UNKNOWN }))).toBe('NOT_FOUND');
    expect(await codeOf(api.projects.get({ id: 'garbage' }))).toBe('NOT_FOUND');
  });
});

describe('sweeps', () => {
  it('lists with live progress and an ETA, filtered by project and status', async () => {
    const { items, nextCursor } = await api.sweeps.list({ projectId: fx.projectId });
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(1);
    expect(items[0]?.progress).toMatchObject({ total: 8, done: 7, byStatus: { finished: 6, failed: 1, queued: 1, running: 0 } });
    expect(items[0]?.progress.meanRunMs).toBeGreaterThan(0);
    expect(items[0]?.progress.etaMs).toBe(Math.round(items[0]?.progress.meanRunMs as number)); // one queued run, nothing running
    expect((await api.sweeps.list({ projectId: fx.otherProjectId })).items).toEqual([]);
    expect((await api.sweeps.list({ statuses: ['finished'] })).items).toEqual([]);
    expect(await codeOf(api.sweeps.list({ projectId: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.sweeps.list({ limit: 1000 }))).toBe('BAD_REQUEST');
    expect((await api.sweeps.get({ id: fx.sweepId })).config).toEqual({ backbones: ['mobilenet-v3-small', 'resnet18', 'vgg16'], seeds: [1, 2] });
    expect(await codeOf(api.sweeps.get({ id: UNKNOWN }))).toBe('NOT_FOUND');
  });

  it('builds the backbone table: groups over seeds, best by F1, ties by McNemar on the same test cases, the paper\'s figures', async () => {
    const table = await api.sweeps.backboneTable({ id: fx.sweepId });
    expect(table.rows.map((r) => [r.label, r.n, r.best, r.tiedWithBest])).toEqual([
      ['mobilenet-v3-small ×0.25 64px', 2, true, null],
      ['resnet18 64px', 2, false, true],
      ['vgg16 64px', 2, false, false],
    ]);
    const [best, tied, worse] = table.rows;
    expect(best?.scores.f1?.mean).toBeCloseTo(0.81, 10);
    expect(best?.scores.f1?.lo).toBeLessThan(0.81);
    expect(best?.scores.auc?.mean).toBeCloseTo(0.91, 10);
    expect(best?.paper).toEqual({ accuracy: 0.718, precision: 0.671, recall: 0.634, f1: 0.642 });
    expect(tied?.pairedTest).toMatchObject({ method: 'mcnemar', cases: 2 * fx.testCases.length, refused: null, mcnemar: { b: 0, c: 1 } });
    expect(worse?.pairedTest?.mcnemar?.pValue).toBeLessThan(0.05);
    expect(worse?.pairedTest?.sentence).toMatch(/^On 18 shared test cases, vgg16 64px was right where mobilenet-v3-small ×0\.25 64px was wrong 0 times, and the reverse 16 times: McNemar's test p < 0\.001, so the difference in accuracy unlikely to be chance/);
    expect(table.notCounted).toBe(2);
    expect(table.notes.join(' ')).toMatch(/2 of 8 runs are not counted/);

    const byAuc = await api.sweeps.backboneTable({ id: fx.sweepId, metric: 'auc' });
    expect(byAuc.rows[1]?.pairedTest?.method).toBe('delong');
    const failedOnly = await api.sweeps.backboneTable({ id: fx.sweepId, statuses: ['failed'] });
    expect(failedOnly.rows).toEqual([]);
    expect(await codeOf(api.sweeps.backboneTable({ id: UNKNOWN }))).toBe('NOT_FOUND');
    expect(await codeOf(api.sweeps.backboneTable({ id: fx.sweepId, split: 'nope' as 'test' }))).toBe('BAD_REQUEST');
  });

  it('exports the table as CSV that parses back to the numbers shown, byte-stable, and as Markdown and LaTeX', async () => {
    const csv = await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'csv' });
    expect(csv.filename).toBe('backbones-malignancy-test.csv');
    expect(await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'csv' })).toEqual(csv);
    const lines = csv.content.trimEnd().split('\n').map((l) => l.split(','));
    const header = lines[0] as string[];
    const table = await api.sweeps.backboneTable({ id: fx.sweepId });
    for (const [i, row] of table.rows.entries()) {
      const cells = lines[i + 1] as string[];
      expect(cells[header.indexOf('F1')]).toBe(row.scores.f1?.mean.toFixed(3));
      expect(Number(cells[header.indexOf('F1 CI low')])).toBeCloseTo(row.scores.f1?.lo as number, 3);
      expect(cells[header.indexOf('best')]).toBe(row.best ? 'yes' : 'no');
    }
    const latex = await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'latex' });
    expect(latex.content).toMatch(/\\toprule[\s\S]*\\textbf\{mobilenet-v3-small \$\\times\$0\.25 64px\}[\s\S]*resnet18 64px\$\^\\dagger\$[\s\S]*\\bottomrule/);
    const markdown = await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'markdown' });
    expect(markdown.content).toContain('| resnet18 64px † | 2 |');
    expect(await codeOf(api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'pdf' as 'csv' }))).toBe('BAD_REQUEST');
  });

  it("gives a group's per-task results with the paper's Table 3 figures", async () => {
    const group = await api.sweeps.groupTasks({ id: fx.sweepId, groupKey: 'mobilenet-v3-small|0.25|64' });
    expect(group.rows.map((r) => [r.task, r.n])).toEqual([
      ['morphology', 2],
      ['malignancy', 2],
    ]);
    expect(group.rows[1]?.paper).toEqual({ accuracy: 0.731, precision: 0.692, recall: 0.643, f1: 0.653 });
    expect((await api.sweeps.exportGroupTasks({ id: fx.sweepId, groupKey: 'mobilenet-v3-small|0.25|64', format: 'markdown' })).content).toContain('| Benign/malignant | 2 |');
    expect(await codeOf(api.sweeps.groupTasks({ id: fx.sweepId, groupKey: 'no-such-group' }))).toBe('NOT_FOUND');
  });
});

describe('runs', () => {
  it('filters by status, backbone, task set, dataset version, tag, sweep and free text', async () => {
    const names = async (input: Parameters<typeof api.runs.list>[0]) => (await api.runs.list({ sort: { by: 'name', direction: 'asc' }, ...input })).items.map((r) => r.name);
    expect(await names({ statuses: ['failed', 'queued'] })).toEqual(['vgg16 seed=3', 'vgg16 seed=4']);
    expect(await names({ backbones: ['resnet18'] })).toEqual(['other split', 'resnet18 seed=1', 'resnet18 seed=2']);
    expect(await names({ backbones: ['resnet18'], tasks: ['malignancy'] })).toEqual(['other split']);
    expect(await names({ tasks: ['morphology', 'malignancy'], backbones: ['resnet18'] })).toEqual(['resnet18 seed=1', 'resnet18 seed=2']);
    expect(await names({ tag: { key: 'purpose', value: 'baseline' } })).toEqual(['mobilenet-v3-small seed=1', 'mobilenet-v3-small seed=2']);
    expect((await names({ tag: { key: 'purpose' } })).length).toBe(6);
    expect((await names({ sweepId: fx.sweepId })).length).toBe(8);
    expect((await names({ projectId: fx.otherProjectId }))).toEqual(['other split']);
    expect((await names({ datasetVersionId: fx.datasetVersionId })).length).toBe(9);
    expect(await names({ text: 'SEED=2' })).toEqual(['mobilenet-v3-small seed=2', 'resnet18 seed=2', 'vgg16 seed=2']);
    expect(await names({ text: '100%_' })).toEqual([]);
    expect(await codeOf(api.runs.list({ sweepId: 'not-an-id' }))).toBe('NOT_FOUND');
    expect((await api.runs.list({ sweepId: UNKNOWN })).total).toBe(0);
  });

  it('sorts by a latest metric with runs lacking it last, pages through every run once, and caps the limit', async () => {
    const byF1 = await api.runs.list({ sort: { by: 'metric', metric: 'final/test/malignancy/f1', direction: 'desc' }, metrics: ['final/test/malignancy/f1', 'val/loss'] });
    expect(byF1.items.slice(0, 6).map((r) => r.metrics['final/test/malignancy/f1']?.value)).toEqual([0.82, 0.8, 0.78, 0.77, 0.42, 0.4]);
    expect(byF1.items.slice(6).every((r) => r.metrics['final/test/malignancy/f1'] === undefined)).toBe(true);
    expect(byF1.items[0]?.metrics['val/loss']).toEqual({ value: 0.2, step: 5 });
    expect(byF1.items[0]?.tags).toEqual({ dataset: 'phantom-api', purpose: 'baseline' });
    expect(byF1.items[0]).toMatchObject({ datasetName: 'phantom-api', sweepName: 'backbones', status: 'finished', host: 'host-1' });
    const ascending = await api.runs.list({ sort: { by: 'metric', metric: 'final/test/malignancy/f1', direction: 'asc' } });
    expect(ascending.items.slice(0, 2).map((r) => r.name)).toEqual(['vgg16 seed=1', 'vgg16 seed=2']);

    for (const sort of [
      { by: 'metric' as const, metric: 'final/test/malignancy/f1', direction: 'asc' as const },
      { by: 'createdAt' as const, direction: 'desc' as const },
      { by: 'durationMs' as const, direction: 'desc' as const },
      { by: 'backbone' as const, direction: 'asc' as const },
    ]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof api.runs.list>> = await api.runs.list({ sort, limit: 2, cursor });
        expect(page.total).toBe(9);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(9);
      const whole = await api.runs.list({ sort, limit: 200 });
      expect(seen).toEqual(whole.items.map((r) => r.id));
    }
    const page = await api.runs.list({ limit: 2, sort: { by: 'name', direction: 'asc' } });
    expect(await codeOf(api.runs.list({ limit: 2, sort: { by: 'seed', direction: 'asc' }, cursor: page.nextCursor }))).toBe('BAD_REQUEST'); // another order's cursor
    expect(await codeOf(api.runs.list({ limit: 201 }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.runs.list({ metrics: Array.from({ length: 21 }, (_, i) => `m${i}`) }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.runs.list({ sort: { by: 'config' as 'name', direction: 'asc' } }))).toBe('BAD_REQUEST');
  });

  it("gives a run's page: config, environment, tags, params, artifacts with download paths, and how to resume", async () => {
    const run = await api.runs.get({ id: fx.runs.a1 as string });
    expect(run).toMatchObject({
      name: 'mobilenet-v3-small seed=1',
      status: 'finished',
      config: { backbone: 'mobilenet-v3-small', seed: 1 },
      environment: { tfjsBackend: 'wasm', host: 'host-1', gitCommit: 'abc1234', attempt: 1, hardware: { cores: 2 } },
      tags: { dataset: 'phantom-api', purpose: 'baseline' },
      params: { backbone: 'mobilenet-v3-small', seed: '1' },
      errorText: null,
    });
    expect(run.artifacts).toEqual([
      expect.objectContaining({ path: 'models/best-epoch-5.bundle', kind: 'model', bytes: 19, downloadPath: `/api/artifacts/${fx.runs.a1}?path=models%2Fbest-epoch-5.bundle` }),
    ]);
    expect(run.artifacts[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.latestMetrics.find((m) => m.key === 'train/loss')).toMatchObject({ step: 300 });
    const failed = await api.runs.get({ id: fx.runs.failed as string });
    expect(failed).toMatchObject({ status: 'failed', errorText: 'Out of memory in the wasm heap at epoch 3', resume: { command: `ovus train --resume ${fx.runs.failed}` } });
    expect((await api.runs.get({ id: fx.runs.queued as string })).resume).toBeNull();
    expect(await codeOf(api.runs.get({ id: UNKNOWN }))).toBe('NOT_FOUND');
    expect(await codeOf(api.runs.get({ id: 'x'.repeat(101) }))).toBe('BAD_REQUEST');

    const download = await downloadArtifact(fx.repos, fx.runs.a1 as string, 'models/best-epoch-5.bundle');
    expect(download?.data.toString()).toBe('model weights of a1');
    expect(download?.filename).toBe('best-epoch-5.bundle');
    expect(await downloadArtifact(fx.repos, fx.runs.a1 as string, 'nope')).toBeNull();
    expect(await downloadArtifact(fx.repos, UNKNOWN, 'models/best-epoch-5.bundle')).toBeNull();
  });

  it('gives per-task results with CIs, confusion matrices with class names, ROC curves with their AUC; and the task table', async () => {
    const results = await api.runs.results({ id: fx.runs.b1 as string });
    expect(results.taskResults.map((r) => `${r.task}/${r.split}`)).toEqual(['malignancy/validation', 'malignancy/test', 'morphology/validation', 'morphology/test']);
    expect(results.taskResults[1]).toMatchObject({ title: 'Benign/malignant', f1: { value: 0.4, lo: 0.35000000000000003, hi: 0.45 }, support: fx.testCases.length });
    expect(results.confusionMatrices).toEqual([{ task: 'malignancy', split: 'test', labels: [0, 1], classNames: ['Benign', 'Malignant'], counts: [[6, 8], [0, 4]] }]);
    expect(results.rocCurves[0]).toMatchObject({ task: 'malignancy', split: 'test', classCode: 1, fpr: [0, 0.2, 1], tpr: [0, 0.8, 1], auc: { value: 0.5 } });
    const table = await api.runs.taskTable({ id: fx.runs.b1 as string });
    expect(table.table.rows.map((r) => r.label)).toEqual(['Benign/malignant', 'Morphology']);
    expect((await api.runs.exportTaskTable({ id: fx.runs.b1 as string, format: 'csv' })).content.split('\n')[1]).toMatch(/^Benign\/malignant,9,0\.111,/);
    expect(await codeOf(api.runs.exportTaskTable({ id: fx.runs.queued as string, format: 'csv' }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.runs.results({ id: UNKNOWN }))).toBe('NOT_FOUND');
  });
});

describe('metrics', () => {
  it('lists series by chart group and charts them downsampled, keeping the spike and the last point', async () => {
    const list = await api.metrics.list({ runId: fx.runs.a1 as string });
    expect(list.find((s) => s.key === 'train/loss')).toMatchObject({ group: 'train-step', points: 300, lastStep: 300 });
    expect(list.find((s) => s.key === 'epoch/learning_rate')?.group).toBe('learning-rate');
    const [loss] = await api.metrics.series({ runId: fx.runs.a1 as string, keys: ['train/loss'], maxPoints: 51 });
    expect(loss?.total).toBe(300);
    expect(loss?.steps.length).toBeLessThanOrEqual(51);
    expect(loss?.values.length).toBe(loss?.steps.length);
    expect(loss?.values[loss.steps.indexOf(150)]).toBe(9);
    expect(loss?.steps.at(-1)).toBe(300);
    const chart = await api.metrics.chart({ runId: fx.runs.a1 as string });
    expect(chart.series.map((s) => s.key).sort()).toEqual(['epoch/learning_rate', 'train/loss', 'train/loss/malignancy', 'val/loss', 'val/malignancy/f1']);
    expect(chart.series.every((s) => s.steps.length <= 1000 && s.values.length === s.steps.length && s.timestamps.length === s.steps.length)).toBe(true);
    expect(chart.others.map((s) => s.key).sort()).toEqual(['epoch/seconds', 'final/test/malignancy/f1']);
    expect(await codeOf(api.metrics.series({ runId: fx.runs.a1 as string, keys: ['train/loss'], maxPoints: 1001 }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.metrics.series({ runId: fx.runs.a1 as string, keys: Array.from({ length: 51 }, (_, i) => `k${i}`) }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.metrics.chart({ runId: UNKNOWN }))).toBe('NOT_FOUND');
  });
});

describe('compare', () => {
  it('diffs configs, sets scores side by side, and runs McNemar and DeLong against the first run with a sentence', async () => {
    const result = await api.compare.runs({ runIds: [fx.runs.a1 as string, fx.runs.b1 as string, fx.runs.c2 as string] });
    expect(result.configDiff.map((d) => d.path)).toEqual(['backbone', 'backboneOptions.widthMultiplier', 'seed']);
    expect(result.configDiff[0]?.values).toEqual(['"mobilenet-v3-small"', '"vgg16"', '"resnet18"']);
    expect(result.taskResults.map((t) => t.results.length)).toEqual([4, 4, 4]);
    expect(result.latestMetrics.find((m) => m.key === 'final/test/malignancy/f1')?.values).toEqual([0.82, 0.4, 0.77]);
    const [vsB, vsC] = result.pairedTests;
    expect(vsB).toMatchObject({ runId: fx.runs.b1, againstRunId: fx.runs.a1, refused: null, mcnemar: { b: 0, c: 8, method: 'exact' } });
    expect(vsB?.cases).toBe(fx.testCases.length);
    expect(vsB?.mcnemar?.pValue).toBeCloseTo(2 * 0.5 ** 8, 12);
    expect(vsB?.delong?.aucB).toBe(1);
    expect(vsC?.sentence).toMatch(/McNemar's test p = 1\.000, so the difference in accuracy could be chance/);
    expect(result.refused).toBeNull();
  });

  it('refuses runs that share no test cases, by name, and bad run lists', async () => {
    const result = await api.compare.runs({ runIds: [fx.runs.a1 as string, fx.runs.other as string, fx.runs.queued as string] });
    expect(result.pairedTests[0]).toMatchObject({ cases: 0, mcnemar: null, refused: 'other split and mobilenet-v3-small seed=1 share no test cases (different dataset versions or splits): a paired test needs the same cases.' });
    expect(result.pairedTests[1]?.refused).toMatch(/vgg16 seed=4 or mobilenet-v3-small seed=1 has no stored per-case predictions/);
    expect(result.refused).toMatch(/^No run shares test cases with mobilenet-v3-small seed=1/);
    expect(await codeOf(api.compare.runs({ runIds: [fx.runs.a1 as string] }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compare.runs({ runIds: Array.from({ length: 11 }, () => randomUUID()) }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compare.runs({ runIds: [fx.runs.a1 as string, fx.runs.a1 as string] }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.compare.runs({ runIds: [fx.runs.a1 as string, UNKNOWN] }))).toBe('NOT_FOUND');
    expect(await codeOf(api.compare.runs({ runIds: [fx.runs.a1 as string, fx.runs.b1 as string], task: 'nose' }))).toBe('BAD_REQUEST');
  });

  it('overlays one series of several runs', async () => {
    const curves = await api.compare.curves({ runIds: [fx.runs.a1 as string, fx.runs.b2 as string], key: 'val/malignancy/f1' });
    expect(curves.map((c) => [c.name, c.steps.length, c.values.at(-1)?.toFixed(2)])).toEqual([
      ['mobilenet-v3-small seed=1', 5, '0.82'],
      ['vgg16 seed=2', 5, '0.42'],
    ]);
  });
});

describe('datasets', () => {
  it('lists versions, gives the label table like the paper\'s and the split composition of a run', async () => {
    const list = await api.datasets.list({});
    expect(list.items.map((d) => [d.name, d.versions.length, d.versions[0]?.caseCount])).toEqual([['phantom-api', 1, 40]]);
    expect((await api.datasets.list({ limit: 1, cursor: 'phantom-api' })).items).toEqual([]);
    const version = await api.datasets.version({ id: fx.datasetVersionId });
    expect(version).toMatchObject({ datasetName: 'phantom-api', caseCount: 40, patientCount: 40, classCounts: { benign: 26, malignant: 14 }, paperClassCounts: { benign: 174, malignant: 83 } });
    const bloodFlow = version.labelTable.filter((r) => r.parameter === 'blood_flow');
    expect(bloodFlow.map((r) => [r.className, r.benign + r.malignant, r.paper.benign])).toEqual([
      ['Non-exist', 20, 110],
      ['Exist', 20, 64],
    ]);
    expect(version.labelTable.filter((r) => r.parameter === 'echogenicity').map((r) => r.code)).toEqual([0, 1, 3, 4]);
    const composition = await api.datasets.splitComposition({ runId: fx.runs.a1 as string });
    expect(composition.parts.map((p) => p.part)).toEqual(['train', 'validation', 'test']);
    expect(composition.parts[2]?.cases).toBe(fx.testCases.length);
    expect(composition.parts.reduce((n, p) => n + p.cases, 0)).toBe(40);
    expect(composition.parts.every((p) => p.patients === p.cases && p.benign + p.malignant === p.cases)).toBe(true);
    expect(composition.parts.reduce((n, p) => n + p.malignant, 0)).toBe(14);
    expect(await codeOf(api.datasets.version({ id: UNKNOWN }))).toBe('NOT_FOUND');
    expect(await codeOf(api.datasets.splitComposition({ runId: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.datasets.list({ limit: 500 }))).toBe('BAD_REQUEST');
  });
});

describe('callers and errors', () => {
  it('answers health checks; a share-link caller cannot use member procedures', async () => {
    expect(await api.health.ping()).toEqual({ ok: true });
    const shared = createCaller(createContext({ db: fx.repos, caller: { kind: 'share', token: randomUUID() } }));
    expect(await codeOf(shared.runs.get({ id: fx.runs.a1 as string }))).toBe('UNAUTHORIZED');
    expect(await shared.health.ping()).toEqual({ ok: true });
  });

  it('never sends a stack or an internal message over HTTP, and logs the internal error', async () => {
    const logged: unknown[] = [];
    const broken = { ...fx.repos, projects: { ...fx.repos.projects, list: async () => { throw new Error('connection to 10.0.0.5 refused; password=hunter2'); } } } as DashboardDatabase;
    const call = (path: string, input: unknown, db: DashboardDatabase) =>
      fetchRequestHandler({
        endpoint: '/api/trpc',
        router: appRouter,
        req: new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`),
        createContext: () => createContext({ db, caller: TEST_MEMBER, onInternalError: (error) => logged.push(error) }),
      });
    const failure = await call('projects.list', {}, broken);
    expect(failure.status).toBe(500);
    const body = await failure.text();
    expect(body).toContain(INTERNAL_ERROR_MESSAGE);
    expect(body).not.toMatch(/hunter2|10\.0\.0\.5|stack|at .*\.ts:\d+/);
    expect(logged).toHaveLength(1);
    const missing = await call('runs.get', { id: UNKNOWN }, fx.repos);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(`Run ${UNKNOWN} does not exist.`);
    const bad = await call('runs.list', { limit: 5000 }, fx.repos);
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: { json: { data: Record<string, unknown> } } };
    expect(Object.keys(badBody.error.json.data).sort()).toEqual(['code', 'httpStatus', 'path', 'zodIssues']);
  });
});
