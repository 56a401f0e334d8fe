// The behaviour every TrackingStore must have. Run against the in-memory store and against real
// PostgreSQL, so that unit tests on the memory store mean the same thing as production.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParamConflictError, TrackingInputError, UnknownRunError } from '../src/errors';
import type { TrackingStore } from '../src/store/tracking-store';
import type { CreateRunInput, MetricPoint, TaskResultInput } from '../src/types';

export interface StoreFixture {
  store: TrackingStore;
  projectId: string;
  /** The sha256 of every blob the store keeps (read from its storage, not through the store). */
  storedBlobs(): Promise<string[]>;
  teardown(): Promise<void>;
}

const T0 = Date.UTC(2025, 0, 1);

export function runInput(projectId: string, extra: Partial<CreateRunInput> = {}): CreateRunInput {
  return { projectId, name: 'run', backbone: 'mobilenet-v3-small', tasks: ['malignancy'], imageSize: 64, seed: 1, config: { lr: 1e-3 }, ...extra };
}

function points(key: string, steps: number[], value = (s: number) => s / 10): MetricPoint[] {
  return steps.map((step) => ({ key, step, value: value(step), timestamp: T0 + step * 1000 }));
}

const score = (value: number) => ({ value, lo: value - 0.1, hi: value + 0.1 });
const taskResult = (over: Partial<TaskResultInput> = {}): TaskResultInput => ({
  task: 'malignancy',
  split: 'test',
  averaging: 'macro',
  accuracy: score(0.8),
  precision: score(0.7),
  recall: score(0.6),
  f1: score(0.65),
  auc: score(0.9),
  support: 52,
  ...over,
});

export function describeStoreContract(name: string, setup: () => Promise<StoreFixture>): void {
  describe(`TrackingStore contract: ${name}`, () => {
    let fx: StoreFixture;
    let store: TrackingStore;
    const newRun = async (extra: Partial<CreateRunInput> = {}) => (await store.createRun(runInput(fx.projectId, extra))).run.id;

    beforeAll(async () => {
      fx = await setup();
      store = fx.store;
    });
    afterAll(async () => {
      await fx.teardown();
    });

    it('writes params, metrics and tags in one batch and reads them back', async () => {
      const runId = await newRun();
      await store.logBatch(runId, {
        params: [{ key: 'lr', value: '0.001' }, { key: 'batch', value: '8' }],
        metrics: points('loss', [0, 1, 2]),
        tags: [{ key: 'note', value: 'first' }],
      });
      expect(await store.getParams(runId)).toEqual({ batch: '8', lr: '0.001' });
      expect(await store.getTags(runId)).toEqual({ note: 'first' });
      expect(await store.getMetricHistory(runId, 'loss')).toEqual(points('loss', [0, 1, 2]));
    });

    it('stores the same batch once when it is written twice (idempotent replay)', async () => {
      const runId = await newRun();
      const batch = { params: [{ key: 'p', value: '1' }], metrics: [...points('acc', [0, 1]), ...points('loss', [0, 1, 2])], tags: [{ key: 't', value: 'x' }] };
      await store.logBatch(runId, batch);
      await store.logBatch(runId, batch);
      expect(await store.getMetricHistory(runId, 'loss')).toHaveLength(3);
      expect(await store.getMetricHistory(runId, 'acc')).toHaveLength(2);
      expect(await store.getParams(runId)).toEqual({ p: '1' });
    });

    it('keeps the first value written for a (key, step), within a batch and across batches', async () => {
      const runId = await newRun();
      await store.logBatch(runId, { metrics: [{ key: 'm', step: 3, value: 1, timestamp: T0 }, { key: 'm', step: 3, value: 2, timestamp: T0 }] });
      await store.logBatch(runId, { metrics: [{ key: 'm', step: 3, value: 5, timestamp: T0 }] });
      expect((await store.getMetricHistory(runId, 'm')).map((p) => p.value)).toEqual([1]);
      expect((await store.getLatestMetrics(runId)).map((p) => p.value)).toEqual([1]);
    });

    it('keeps latest_metric at the highest step of each key, whatever the arrival order', async () => {
      const runId = await newRun();
      await store.logBatch(runId, { metrics: points('loss', [5, 2]) });
      await store.logBatch(runId, { metrics: [...points('loss', [3, 1]), ...points('acc', [0])] });
      await store.logBatch(runId, { metrics: points('loss', [9]) });
      await store.logBatch(runId, { metrics: points('loss', [4]) });
      const latest = await store.getLatestMetrics(runId);
      expect(latest).toEqual([points('acc', [0])[0], points('loss', [9])[0]]);
    });

    it('stores NaN, Infinity and -Infinity faithfully', async () => {
      const runId = await newRun();
      const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5, 1e300, 5e-324];
      await store.logBatch(runId, { metrics: odd.map((value, step) => ({ key: 'loss', step, value, timestamp: T0 })) });
      expect((await store.getMetricHistory(runId, 'loss')).map((p) => p.value)).toEqual(odd);
      expect((await store.getLatestMetrics(runId))[0]?.value).toBe(5e-324);
      await store.logBatch(runId, { metrics: [{ key: 'diverged', step: 0, value: Number.NaN, timestamp: T0 }] });
      expect((await store.getLatestMetrics(runId)).find((p) => p.key === 'diverged')?.value).toBeNaN();
    });

    it('keeps millisecond timestamps', async () => {
      const runId = await newRun();
      const timestamp = T0 + 123;
      await store.logBatch(runId, { metrics: [{ key: 'k', step: 0, value: 1, timestamp }] });
      expect((await store.getMetricHistory(runId, 'k'))[0]?.timestamp).toBe(timestamp);
    });

    it('rejects a changed param and writes nothing of that batch', async () => {
      const runId = await newRun();
      await store.logBatch(runId, { params: [{ key: 'lr', value: '0.1' }] });
      const attempt = store.logBatch(runId, { params: [{ key: 'lr', value: '0.2' }, { key: 'new', value: 'x' }], metrics: points('m', [0]) });
      await expect(attempt).rejects.toBeInstanceOf(ParamConflictError);
      await expect(store.logBatch(runId, { params: [{ key: 'lr', value: '0.2' }] })).rejects.toThrow(/'lr' is '0.1', not '0.2'/);
      expect(await store.getParams(runId)).toEqual({ lr: '0.1' });
      expect(await store.getMetricHistory(runId, 'm')).toEqual([]);
    });

    it('stores per-case predictions with the batch, idempotently, the last value winning, and filters them', async () => {
      const runId = await newRun();
      const cases = (split: 'validation' | 'test', task: string, n: number, shift = 0) =>
        Array.from({ length: n }, (_, i) => ({
          split,
          task,
          caseId: `case-${String(i).padStart(3, '0')}`,
          label: i % 3 === 0 ? null : i % 2,
          predicted: (i + shift) % 2,
          probabilities: [(i + shift) % 2 === 0 ? 0.75 : 0.25, (i + shift) % 2 === 0 ? 0.25 : 0.75],
        }));
      await store.logBatch(runId, { metrics: points('loss', [0]), predictions: [...cases('test', 'malignancy', 5), ...cases('validation', 'malignancy', 2)] });
      await store.logBatch(runId, { predictions: cases('test', 'malignancy', 5) }); // replayed: nothing doubles
      await store.logBatch(runId, { predictions: [...cases('test', 'morphology', 3, 1), ...cases('test', 'malignancy', 2, 1)] }); // a later attempt wins
      const test = await store.getPredictions(runId, { split: 'test', task: 'malignancy' });
      expect(test.map((p) => [p.caseId, p.predicted])).toEqual([['case-000', 1], ['case-001', 0], ['case-002', 0], ['case-003', 1], ['case-004', 0]]);
      expect(test[0]).toEqual({ split: 'test', task: 'malignancy', caseId: 'case-000', label: null, predicted: 1, probabilities: [0.25, 0.75] });
      expect((await store.getPredictions(runId)).map((p) => `${p.split}/${p.task}`)).toEqual([
        ...Array(2).fill('validation/malignancy'),
        ...Array(5).fill('test/malignancy'),
        ...Array(3).fill('test/morphology'),
      ]);
      expect(await store.getPredictions(await newRun())).toEqual([]);
      const bad = { split: 'test' as const, task: 'malignancy', caseId: 'x', label: 1, predicted: 1, probabilities: [1.5, 0] };
      await expect(store.logBatch(runId, { predictions: [bad] })).rejects.toThrow(/predictions\[0\]\.probabilities\[0\]: 1\.5 is not a probability/);
      await expect(store.logBatch(runId, { predictions: [{ ...bad, probabilities: [0.5, 0.5], caseId: '' }] })).rejects.toThrow(/caseId: must have 1 to 200/);
    });

    it('lets the last tag value win', async () => {
      const runId = await newRun();
      await store.logBatch(runId, { tags: [{ key: 'phase', value: 'a' }, { key: 'phase', value: 'b' }] });
      await store.logBatch(runId, { tags: [{ key: 'phase', value: 'c' }] });
      expect(await store.getTags(runId)).toEqual({ phase: 'c' });
    });

    it.each([
      ['an empty key', { metrics: [{ key: '', step: 0, value: 1, timestamp: T0 }] }, /key is empty/],
      ['a key over 250 characters', { metrics: [{ key: 'k'.repeat(251), step: 0, value: 1, timestamp: T0 }] }, /251 characters; the limit is 250/],
      ['a negative step', { metrics: [{ key: 'k', step: -1, value: 1, timestamp: T0 }] }, /metrics\[0\]\.step: step -1 is negative/],
      ['a fractional step', { metrics: [{ key: 'k', step: 1.5, value: 1, timestamp: T0 }] }, /step 1.5 is not an integer/],
      ['a non-finite step', { metrics: [{ key: 'k', step: Number.POSITIVE_INFINITY, value: 1, timestamp: T0 }] }, /step Infinity is not a finite number/],
      ['a NaN step', { metrics: [{ key: 'k', step: Number.NaN, value: 1, timestamp: T0 }] }, /step NaN is not a finite number/],
      ['a string value', { metrics: [{ key: 'k', step: 0, value: '1' as unknown as number, timestamp: T0 }] }, /value must be a number/],
      ['a bad timestamp', { metrics: [{ key: 'k', step: 0, value: 1, timestamp: Number.NaN }] }, /timestamp NaN is not a time/],
      ['an empty param key', { params: [{ key: '', value: 'x' }] }, /params\[0\]\.key: the key is empty/],
      ['a param given twice with two values', { params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }, /appears twice with different values/],
      ['a NUL in a tag value', { tags: [{ key: 't', value: 'a\u0000b' }] }, /NUL character/],
    ])('rejects %s with a clear error and writes nothing', async (_label, batch, message) => {
      const runId = await newRun();
      const good = points('good', [0]);
      const attempt = store.logBatch(runId, { ...batch, metrics: [...good, ...("metrics" in batch ? batch.metrics : [])] } as never);
      await expect(attempt).rejects.toBeInstanceOf(TrackingInputError);
      await expect(store.logBatch(runId, batch as never)).rejects.toThrow(message);
      expect(await store.getMetricHistory(runId, 'good')).toEqual([]);
      expect(await store.getParams(runId)).toEqual({});
    });

    it('rejects an unknown run id, and a malformed one, writing nothing', async () => {
      const unknown = randomUUID();
      await expect(store.logBatch(unknown, { metrics: points('m', [0]) })).rejects.toBeInstanceOf(UnknownRunError);
      await expect(store.logBatch(unknown, { params: [{ key: 'a', value: 'b' }], tags: [{ key: 'c', value: 'd' }] })).rejects.toThrow(
        new RegExp(`Run ${unknown} does not exist`),
      );
      await expect(store.logBatch(unknown, {})).rejects.toBeInstanceOf(UnknownRunError);
      await expect(store.logBatch('run-1', { metrics: points('m', [0]) })).rejects.toThrow(/"run-1" is not a run id/);
      expect(await store.getRun(unknown)).toBeNull();
      await expect(store.getParams(unknown)).rejects.toBeInstanceOf(UnknownRunError);
    });

    it('downsamples a long series to at most maxPoints, keeping the first and last', async () => {
      const runId = await newRun();
      const steps = Array.from({ length: 2500 }, (_, i) => i);
      await store.logBatch(runId, { metrics: points('loss', steps) });
      for (const maxPoints of [2, 7, 1000, 2499, 2500, 3000]) {
        const sampled = await store.getMetricHistory(runId, 'loss', { maxPoints });
        expect(sampled.length).toBeLessThanOrEqual(maxPoints);
        expect(sampled[0]?.step).toBe(0);
        expect(sampled.at(-1)?.step).toBe(2499);
        expect(sampled.length).toBeGreaterThan(Math.min(maxPoints, 2500) / 2);
      }
      expect((await store.getMetricHistory(runId, 'loss', { maxPoints: 1000 })).map((p) => p.step).slice(0, 3)).toEqual([0, 3, 6]);
      await expect(store.getMetricHistory(runId, 'loss', { maxPoints: 1 })).rejects.toBeInstanceOf(TrackingInputError);
    });

    it('creates runs idempotently when the caller gives the id', async () => {
      const id = randomUUID();
      const first = await store.createRun(runInput(fx.projectId, { id, name: 'a' }));
      const again = await store.createRun(runInput(fx.projectId, { id, name: 'b' }));
      expect(first.created).toBe(true);
      expect(again).toEqual({ run: first.run, created: false });
      expect(first.run).toMatchObject({ id, name: 'a', status: 'queued', startedAt: null, config: { lr: 1e-3 } });
    });

    it('tracks status: running stamps the start, a terminal status the end, duration and error', async () => {
      const runId = await newRun();
      await store.setRunStatus(runId, 'running', { at: T0 });
      expect(await store.getRun(runId)).toMatchObject({ status: 'running', startedAt: T0, heartbeatAt: T0, endedAt: null });
      await store.setRunStatus(runId, 'failed', { at: T0 + 1500, error: 'out of memory' });
      expect(await store.getRun(runId)).toMatchObject({ status: 'failed', endedAt: T0 + 1500, durationMs: 1500, errorText: 'out of memory' });
      await expect(store.setRunStatus(randomUUID(), 'running')).rejects.toBeInstanceOf(UnknownRunError);
    });

    it('marks running runs without a recent heartbeat as stale, and revives them if they are heard from', async () => {
      const alive = await newRun();
      const dead = await newRun({ host: 'gpu-node-3' });
      const done = await newRun();
      await store.setRunStatus(alive, 'running', { at: T0 });
      await store.setRunStatus(dead, 'running', { at: T0 });
      await store.setRunStatus(done, 'running', { at: T0 });
      await store.setRunStatus(done, 'finished', { at: T0 + 1000 });
      await store.heartbeat(alive, T0 + 55_000);
      await store.heartbeat(alive, T0 + 50_000); // an old heartbeat replayed late does not move it back

      const marked = await store.markStaleRuns(30_000, T0 + 60_000);
      expect(marked).toContain(dead);
      expect(marked).not.toContain(alive);
      expect(marked).not.toContain(done);
      expect(await store.getRun(alive)).toMatchObject({ status: 'running', heartbeatAt: T0 + 55_000 });
      const stale = await store.getRun(dead);
      expect(stale).toMatchObject({ status: 'stale', endedAt: T0 + 60_000, durationMs: 60_000 });
      expect(stale?.errorText).toMatch(/No heartbeat since 2025-01-01T00:00:00.000Z .*process probably died/);
      // Its ending may be in a journal only its host can see: the text says where to replay it.
      expect(stale?.errorText).toContain('its ending is in a journal on gpu-node-3: run ovus journal replay there');
      expect(await store.markStaleRuns(30_000, T0 + 60_000)).not.toContain(dead);

      await store.heartbeat(dead, T0 + 59_000); // older than the marking: still stale
      expect((await store.getRun(dead))?.status).toBe('stale');
      await store.heartbeat(dead, T0 + 61_000);
      expect(await store.getRun(dead)).toMatchObject({ status: 'running', endedAt: null, errorText: null });
    });

    it('upserts task results with CIs, confusion matrices and ROC curves', async () => {
      const runId = await newRun();
      await store.saveTaskResult(runId, taskResult());
      await store.saveTaskResult(runId, taskResult({ f1: { value: Number.NaN, lo: null, hi: null }, auc: null }));
      await store.saveTaskResult(runId, taskResult({ task: 'echogenicity', averaging: 'weighted' }));
      const results = await store.getTaskResults(runId);
      expect(results.map((r) => [r.task, r.averaging])).toEqual([['echogenicity', 'weighted'], ['malignancy', 'macro']]);
      expect(results[1]).toMatchObject({ f1: { value: Number.NaN, lo: null, hi: null }, auc: null, support: 52, precision: score(0.7) });

      const matrix = { task: 'echogenicity', split: 'test' as const, labels: [0, 1, 3, 4], counts: [[5, 1, 0, 0], [1, 4, 0, 1], [0, 0, 2, 0], [0, 1, 0, 7]] };
      await store.saveConfusionMatrix(runId, matrix);
      await store.saveConfusionMatrix(runId, matrix);
      expect(await store.getConfusionMatrices(runId)).toEqual([matrix]);
      await expect(store.saveConfusionMatrix(runId, { ...matrix, counts: [[1]] })).rejects.toThrow(/counts: must have 4 rows/);

      const curve = { task: 'malignancy', split: 'test' as const, classCode: 1, points: [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }, { fpr: 0.2, tpr: 0.7, threshold: 0.6 }, { fpr: 1, tpr: 1, threshold: 0 }] };
      await store.saveRocCurve(runId, curve);
      await store.saveRocCurve(runId, { ...curve, points: curve.points.slice(1) });
      expect(await store.getRocCurve(runId, 'malignancy', 'test', 1)).toEqual(curve.points.slice(1));
      await expect(store.saveRocCurve(runId, { ...curve, points: [{ fpr: 2, tpr: 0, threshold: 0 }] })).rejects.toThrow(/fpr: 2 is not in \[0, 1\]/);
      await expect(store.saveTaskResult(randomUUID(), taskResult())).rejects.toBeInstanceOf(UnknownRunError);
    });

    it('keeps artifact bytes, content-addressed, so they can be fetched back anywhere', async () => {
      const runId = await newRun();
      const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
      const sha256 = createHash('sha256').update(data).digest('hex');
      const info = await store.saveArtifact(runId, { path: 'checkpoints/best.bin', kind: 'checkpoint', step: 3, data, sha256 });
      expect(info).toMatchObject({ path: 'checkpoints/best.bin', sha256, bytes: 70_000, uri: `db:${sha256}`, step: 3 });
      const fetched = await store.fetchArtifact(runId, 'checkpoints/best.bin');
      expect(fetched?.data.equals(data)).toBe(true);
      expect(await store.fetchArtifact(runId, 'nope')).toBeNull();
      const empty = Buffer.alloc(0);
      const emptySha = createHash('sha256').update(empty).digest('hex');
      await store.saveArtifact(runId, { path: 'empty.txt', kind: 'file', step: null, data: empty, sha256: emptySha });
      expect((await store.fetchArtifact(runId, 'empty.txt'))?.data.length).toBe(0);
      await store.deleteArtifacts(runId, ['empty.txt']);

      const newer = Buffer.from('second version');
      const newerSha = createHash('sha256').update(newer).digest('hex');
      await store.saveArtifact(runId, { path: 'checkpoints/best.bin', kind: 'checkpoint', step: 4, data: newer, sha256: newerSha });
      expect((await store.listArtifacts(runId)).map((a) => [a.path, a.sha256, a.step])).toEqual([['checkpoints/best.bin', newerSha, 4]]);
      await expect(store.saveArtifact(runId, { path: 'x', kind: 'k', step: null, data: newer, sha256 })).rejects.toThrow(/hash to/);
    });

    const artifactBytes = (text: string) => {
      const data = Buffer.from(text);
      return { data, sha256: createHash('sha256').update(data).digest('hex') };
    };
    const stored = async (hashes: readonly string[]) => {
      const all = new Set(await fx.storedBlobs());
      return hashes.filter((h) => all.has(h));
    };

    it('keeps only the bytes of the last of five checkpoints written to one path', async () => {
      const runId = await newRun();
      const epochs = [1, 2, 3, 4, 5].map((epoch) => artifactBytes(`${runId} checkpoint of epoch ${epoch}`));
      for (const [i, bytes] of epochs.entries()) {
        await store.saveArtifact(runId, { path: 'checkpoints/latest.ckpt', kind: 'checkpoint', step: i + 1, ...bytes });
      }
      expect(await stored(epochs.map((e) => e.sha256))).toEqual([epochs[4].sha256]);
      expect((await store.fetchArtifact(runId, 'checkpoints/latest.ckpt'))?.data.equals(epochs[4].data)).toBe(true);
      // Writing the same bytes again keeps them.
      await store.saveArtifact(runId, { path: 'checkpoints/latest.ckpt', kind: 'checkpoint', step: 5, ...epochs[4] });
      expect(await stored([epochs[4].sha256])).toEqual([epochs[4].sha256]);
      expect(await store.pruneOrphanBlobs()).toEqual({ blobs: 0, bytes: 0 });
    });

    it('deletes artifacts by path with their bytes, keeping bytes another artifact still refers to', async () => {
      const [a, b] = [await newRun(), await newRun()];
      const [first, second, kept] = ['best-1', 'best-2', 'best-3'].map((v) => artifactBytes(`${a} ${v}`));
      await store.saveArtifact(a, { path: 'checkpoints/best-epoch-0001.ckpt', kind: 'model', step: 1, ...first });
      await store.saveArtifact(a, { path: 'checkpoints/best-epoch-0002.ckpt', kind: 'model', step: 2, ...second });
      await store.saveArtifact(a, { path: 'checkpoints/best-epoch-0003.ckpt', kind: 'model', step: 3, ...kept });
      await store.saveArtifact(b, { path: 'imported.ckpt', kind: 'model', step: 1, ...second });

      const paths = ['checkpoints/best-epoch-0001.ckpt', 'checkpoints/best-epoch-0002.ckpt', 'not/there.ckpt'];
      expect(await store.deleteArtifacts(a, paths)).toBe(2);
      expect((await store.listArtifacts(a)).map((x) => x.path)).toEqual(['checkpoints/best-epoch-0003.ckpt']);
      // Epoch 1's bytes are gone; epoch 2's stay while run b refers to them.
      expect(await stored([first.sha256, second.sha256, kept.sha256])).toEqual([second.sha256, kept.sha256]);
      expect((await store.fetchArtifact(b, 'imported.ckpt'))?.data.equals(second.data)).toBe(true);
      // Again: nothing left to delete.
      expect(await store.deleteArtifacts(a, paths)).toBe(0);
      expect(await store.deleteArtifacts(a, [])).toBe(0);
      await expect(store.deleteArtifacts(randomUUID(), paths)).rejects.toBeInstanceOf(UnknownRunError);
      await expect(store.deleteArtifacts(a, [''])).rejects.toBeInstanceOf(TrackingInputError);
    });

    it('keeps replaced bytes that another artifact, of this run or another, still refers to', async () => {
      const [a, b] = [await newRun(), await newRun()];
      const shared = artifactBytes(`${a} weights both runs logged`);
      const [nextA, nextB, nextA2] = ['a2', 'b2', 'a3'].map((v) => artifactBytes(`${a} ${v}`));
      await store.saveArtifact(a, { path: 'model.bin', kind: 'model', step: 1, ...shared });
      await store.saveArtifact(a, { path: 'copy.bin', kind: 'model', step: 1, ...shared });
      await store.saveArtifact(b, { path: 'model.bin', kind: 'model', step: 1, ...shared });

      await store.saveArtifact(a, { path: 'model.bin', kind: 'model', step: 2, ...nextA });
      await store.saveArtifact(a, { path: 'copy.bin', kind: 'model', step: 2, ...nextA2 });
      expect(await stored([shared.sha256])).toEqual([shared.sha256]); // run b still refers to it
      expect((await store.fetchArtifact(b, 'model.bin'))?.data.equals(shared.data)).toBe(true);

      await store.saveArtifact(b, { path: 'model.bin', kind: 'model', step: 2, ...nextB });
      expect(await stored([shared.sha256, nextA.sha256, nextB.sha256, nextA2.sha256])).toEqual([nextA.sha256, nextB.sha256, nextA2.sha256]);
    });
  });
}
