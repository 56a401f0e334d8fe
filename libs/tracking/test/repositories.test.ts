import { randomUUID } from 'node:crypto';
import { CLINICAL_PARAMETERS } from '@ovus/domain';
import { computeStatistics, datasetContentHash, makeHoldoutSplit, makeKFoldSplit, sha256Hex, type CaseRecord, type ValidatedDataset } from '@ovus/data';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackingInputError } from '../src/errors';
import { getDatasetVersion, listCases, saveDatasetVersion } from '../src/repositories/datasets';
import { ensureProject } from '../src/repositories/projects';
import { createRun, getRun, listRuns } from '../src/repositories/runs';
import { markStaleRuns, setRunStatus } from '../src/repositories/run-status';
import { getSplit, saveSplit } from '../src/repositories/splits';
import { studentTCritical } from '@ovus/ml-metrics';
import { summarizeSweep } from '../src/repositories/summarize-sweep';
import { createSweep, setSweepStatus } from '../src/repositories/sweeps';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { bindRepositories } from '../src/bound-repositories';
import { runInput } from './store-contract';

function makeCases(count: number, seed = 1): CaseRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const malignancy = (i * 7 + seed) % 3 === 0 ? 1 : 0;
    const labels = Object.fromEntries(CLINICAL_PARAMETERS.map((p, j) => [p, (i + j) % 5 === 4 ? null : p === 'echogenicity' ? [0, 1, 3, 4][(i + j) % 4] : (i + j) % 2])) as CaseRecord['labels'];
    return {
      caseId: `case-${String(i).padStart(4, '0')}`,
      patientId: `patient-${Math.floor(i / 2)}`,
      bmusPath: `bmus/${i}.png`,
      ceusPath: `ceus/${i}.png`,
      bmusSha256: sha256Hex(`bmus-${seed}-${i}`),
      ceusSha256: sha256Hex(`ceus-${seed}-${i}`),
      labels,
      malignancy: malignancy as 0 | 1,
    };
  });
}

function makeDataset(name: string, cases: CaseRecord[]): ValidatedDataset {
  return {
    name,
    contentHash: datasetContentHash(cases),
    manifestPath: '/data/manifest.csv',
    rootDir: '/data',
    cases,
    patientCount: new Set(cases.map((c) => c.patientId)).size,
    statistics: computeStatistics(cases),
  };
}

describe('repositories', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('ensureProject creates once, also under concurrent callers', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureProject(db.prisma, 'shared')));
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    await expect(ensureProject(db.prisma, '')).rejects.toBeInstanceOf(TrackingInputError);
  });

  it('saves a dataset version once per content, with its cases, and reads them back', async () => {
    const cases = makeCases(257);
    const dataset = makeDataset('ovarian', cases);
    const concurrent = await Promise.all([saveDatasetVersion(db.prisma, dataset), saveDatasetVersion(db.prisma, dataset)]);
    expect(concurrent.map((r) => r.created).sort()).toEqual([false, true]);
    expect(concurrent[0]?.id).toBe(concurrent[1]?.id);
    const again = await saveDatasetVersion(db.prisma, { ...dataset, name: 'renamed', rootDir: '/moved' });
    expect(again).toEqual({ id: concurrent[0]?.id, created: false });

    const id = again.id;
    expect(await db.prisma.case.count({ where: { datasetVersionId: id } })).toBe(257);
    const version = await getDatasetVersion(db.prisma, id);
    expect(version).toMatchObject({ datasetName: 'ovarian', caseCount: 257, patientCount: 129, contentHash: dataset.contentHash });
    expect(version?.statistics).toEqual(dataset.statistics);
    expect(await listCases(db.prisma, id)).toEqual(cases);

    const changed = makeCases(257, 2);
    const second = await saveDatasetVersion(db.prisma, makeDataset('ovarian', changed));
    expect(second.created).toBe(true);
    expect(await db.prisma.dataset.count({ where: { name: 'ovarian' } })).toBe(1);
  });

  it('rejects a dataset whose hash does not match its cases, or with repeated case ids, writing nothing', async () => {
    const dataset = makeDataset('bad', makeCases(10, 9));
    await expect(saveDatasetVersion(db.prisma, { ...dataset, contentHash: 'f'.repeat(64) })).rejects.toThrow(/cases hash to/);
    const doubled = [...dataset.cases, dataset.cases[0] as CaseRecord];
    await expect(saveDatasetVersion(db.prisma, makeDataset('bad', doubled))).rejects.toThrow(/appears twice/);
    expect(await db.prisma.dataset.count({ where: { name: 'bad' } })).toBe(0);
    await expect(listCases(db.prisma, randomUUID())).rejects.toThrow(/does not exist/);
  });

  it('saves a split once per hash after checking it against the version', async () => {
    const cases = makeCases(60, 3);
    const { id: versionId } = await saveDatasetVersion(db.prisma, makeDataset('splits', cases));
    const holdout = makeHoldoutSplit(cases, { seed: 7, fractions: { train: 0.6, validation: 0.2, test: 0.2 } });
    const first = await saveSplit(db.prisma, versionId, holdout);
    expect(first.created).toBe(true);
    expect(await saveSplit(db.prisma, versionId, holdout)).toEqual({ id: first.id, created: false });
    expect(await getSplit(db.prisma, first.id)).toEqual({ ...holdout, id: first.id, datasetVersionId: versionId });

    const kfold = makeKFoldSplit(cases, { seed: 7, k: 3, fold: 1, testFraction: 0.2 });
    expect((await saveSplit(db.prisma, versionId, kfold)).created).toBe(true);

    await expect(saveSplit(db.prisma, versionId, { ...holdout, seed: 8 })).rejects.toThrow(/content hashes to/);
    const otherCases = makeCases(20, 4).map((c) => ({ ...c, caseId: `other-${c.caseId}` }));
    const foreign = makeHoldoutSplit(otherCases, { seed: 1, fractions: { train: 0.6, validation: 0.2, test: 0.2 } });
    await expect(saveSplit(db.prisma, versionId, foreign)).rejects.toThrow(/does not fit dataset version/);
  });

  it('creates a sweep once per canonical config, whatever the key order', async () => {
    const project = await ensureProject(db.prisma, 'sweeps');
    const a = await createSweep(db.prisma, project.id, 'backbones', { backbones: ['a', 'b'], seeds: [1, 2], lr: 0.001 });
    const b = await createSweep(db.prisma, project.id, 'same again', { lr: 0.001, seeds: [1, 2], backbones: ['a', 'b'] });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, sweep: { id: a.sweep.id, name: 'backbones' } });
    const c = await createSweep(db.prisma, project.id, 'other', { lr: 0.01 });
    expect(c.created).toBe(true);
    await expect(createSweep(db.prisma, randomUUID(), 'x', { lr: 1 })).rejects.toThrow(/does not exist; create it with ensureProject/);
    expect((await setSweepStatus(db.prisma, a.sweep.id, 'finished')).finishedAt).toBeInstanceOf(Date);
  });

  it('creates, lists and updates runs', async () => {
    const project = await ensureProject(db.prisma, 'runs');
    const { run } = await createRun(db.prisma, runInput(project.id, { name: 'first', hardware: { cores: 2 } }));
    expect(await getRun(db.prisma, run.id)).toEqual(run);
    await setRunStatus(db.pool, run.id, 'running');
    expect((await listRuns(db.prisma, { projectId: project.id, status: 'running' })).map((r) => r.id)).toEqual([run.id]);
    await expect(createRun(db.prisma, runInput(randomUUID()))).rejects.toThrow(/does not exist\. Create them first/);
    await expect(listRuns(db.prisma, { limit: 501 })).rejects.toThrow(/1 to 500/);
  });

  it('marks silent running runs stale except the ones named alive; a restarted stale run is running again', async () => {
    const project = await ensureProject(db.prisma, 'stale');
    const longAgo = Date.now() - 3_600_000;
    const [mine, theirs] = [(await createRun(db.prisma, runInput(project.id))).run.id, (await createRun(db.prisma, runInput(project.id))).run.id];
    await setRunStatus(db.pool, mine, 'running', { at: longAgo });
    await setRunStatus(db.pool, theirs, 'running', { at: longAgo });
    expect(await markStaleRuns(db.pool, 60_000, Date.now(), { except: [mine] })).toEqual([theirs]);
    expect((await getRun(db.prisma, mine))?.status).toBe('running');
    // A retried attempt starts it again (startRun → running): status back, explanation gone.
    await setRunStatus(db.pool, theirs, 'running');
    expect(await getRun(db.prisma, theirs)).toMatchObject({ status: 'running', errorText: null, endedAt: null });
    await expect(markStaleRuns(db.pool, 60_000, Date.now(), { except: ['not-a-uuid'] })).rejects.toThrow(/markStaleRuns\.except/);
  });

  it('summarizes a sweep per group: n, mean and t-interval over runs, in SQL', async () => {
    const project = await ensureProject(db.prisma, 'summary');
    const { sweep } = await createSweep(db.prisma, project.id, 's', { grid: 1 });
    const store = new PostgresTrackingStore(db);
    const scores = { mnv3: [0.6, 0.7, 0.8], resnet18: [0.5] };
    const score = (value: number) => ({ value, lo: null, hi: null });
    for (const [backbone, values] of Object.entries(scores)) {
      for (const [seed, value] of values.entries()) {
        const { run } = await store.createRun(runInput(project.id, { sweepId: sweep.id, backbone, seed, groupKey: `${backbone}/64px` }));
        await store.saveTaskResult(run.id, { task: 'malignancy', split: 'test', averaging: 'macro', accuracy: score(value), precision: score(value - 0.1), recall: score(value), f1: score(value / 2), auc: null, support: 50 });
        await store.setRunStatus(run.id, 'finished');
      }
    }
    // A failed run and another split do not count.
    const { run: failed } = await store.createRun(runInput(project.id, { sweepId: sweep.id, backbone: 'mnv3', groupKey: 'mnv3/64px' }));
    await store.saveTaskResult(failed.id, { task: 'malignancy', split: 'test', averaging: 'macro', accuracy: score(0), precision: score(0), recall: score(0), f1: score(0), auc: null, support: 50 });
    await store.setRunStatus(failed.id, 'failed');

    const summary = await summarizeSweep(db.pool, sweep.id, { task: 'malignancy', split: 'test', averaging: 'macro' });
    expect(summary.map((g) => [g.backbone, g.groupKey, g.n])).toEqual([
      ['mnv3', 'mnv3/64px', 3],
      ['resnet18', 'resnet18/64px', 1],
    ]);
    const mnv3 = summary[0];
    const half = (studentTCritical(2) * 0.1) / Math.sqrt(3); // sd of 0.6, 0.7, 0.8 is 0.1
    expect(mnv3?.accuracy.mean).toBeCloseTo(0.7, 12);
    expect(mnv3?.accuracy.sd).toBeCloseTo(0.1, 12);
    expect(mnv3?.accuracy.lo).toBeCloseTo(0.7 - half, 12);
    expect(mnv3?.accuracy.hi).toBeCloseTo(0.7 + half, 12);
    expect(mnv3?.f1.mean).toBeCloseTo(0.35, 12);
    expect(summary[1]?.accuracy).toEqual({ mean: 0.5, sd: null, lo: null, hi: null });
    const withFailed = await summarizeSweep(db.pool, sweep.id, { task: 'malignancy', split: 'test', averaging: 'macro', statuses: ['finished', 'failed'] });
    expect(withFailed[0]?.n).toBe(4);
    expect(await summarizeSweep(db.pool, sweep.id, { task: 'malignancy', split: 'validation', averaging: 'macro' })).toEqual([]);
  });

  it('reads tags and artifact paths of several runs in one query each, as the per-run reads give them', async () => {
    const store = new PostgresTrackingStore(db);
    const repos = bindRepositories(db, store);
    const project = await ensureProject(db.prisma, 'batched-reads');
    const [a, b, empty] = await Promise.all(['a', 'b', 'empty'].map(async (name) => (await store.createRun(runInput(project.id, { name }))).run.id));
    await store.logBatch(a as string, { tags: [{ key: 'selected_model', value: 'checkpoints/best-epoch-0002.ckpt' }, { key: 'host', value: 'h1' }] });
    await store.logBatch(b as string, { tags: [{ key: 'host', value: 'h2' }] });
    for (const path of ['checkpoints/latest.ckpt', 'checkpoints/best-epoch-0002.ckpt']) {
      const data = Buffer.from(path);
      await store.saveArtifact(a as string, { path, kind: 'checkpoint', step: 2, data, sha256: sha256Hex(data) });
    }
    const ids = [a, b, empty] as string[];
    const [tags, paths] = await Promise.all([repos.runs.tagsOf(ids), repos.artifacts.pathsOf(ids)]);
    for (const id of ids) {
      expect(tags.get(id)).toEqual(await repos.runs.tags(id));
      expect(paths.get(id)).toEqual((await repos.artifacts.list(id)).map((x) => x.path));
    }
    expect(paths.get(a as string)).toEqual(['checkpoints/best-epoch-0002.ckpt', 'checkpoints/latest.ckpt']);
    expect(tags.get(empty as string)).toEqual({});
    expect(paths.get(empty as string)).toEqual([]);
    await expect(repos.runs.tagsOf(['not-a-uuid'])).rejects.toBeInstanceOf(TrackingInputError);
  });
});
