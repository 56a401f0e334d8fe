import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrackingClient } from '../src/client/tracking-client';
import { TrackingInputError, UnknownRunError } from '../src/errors';
import { InMemoryTrackingStore } from '../src/store/memory-store';
import { runInput } from './store-contract';

describe('TrackingClient (in-memory store)', () => {
  let dir: string;
  let store: InMemoryTrackingStore;
  let client: TrackingClient;
  const projectId = randomUUID();
  const errors: Error[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ovus-client-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await client?.close();
    store = new InMemoryTrackingStore();
    client = new TrackingClient({ store, journalDir: join(dir, 'journal'), onError: (e) => errors.push(e), heartbeatIntervalMs: 0 });
  });

  it('starts a run as running, with its params and tags, and logs metrics through the queue', async () => {
    const run = await client.startRun({ ...runInput(projectId), params: { lr: 0.001, pretrained: true }, tags: { by: 'test' } });
    expect(run.run).toMatchObject({ status: 'running', endedAt: null });
    expect(run.run.startedAt).toEqual(expect.any(Number));
    expect((await store.getRun(run.id))?.status).toBe('running');
    run.logMetrics({ 'train/loss': 0.5, 'train/acc': 0.7 }, 0);
    run.logMetric('train/loss', 0.4, 1);
    expect(client.stats().queued).toBeGreaterThan(0); // nothing waited on the store
    await client.flush();
    expect(client.stats().queued).toBe(0);
    expect(await store.getParams(run.id)).toEqual({ lr: '0.001', pretrained: 'true' });
    expect(await store.getTags(run.id)).toEqual({ by: 'test' });
    expect((await store.getMetricHistory(run.id, 'train/loss')).map((p) => p.value)).toEqual([0.5, 0.4]);
  });

  it('throws at the call, before queueing anything, for bad input', async () => {
    const run = await client.startRun(runInput(projectId));
    await client.flush();
    const before = client.stats().queued;
    expect(() => run.logMetric('', 1, 0)).toThrow(TrackingInputError);
    expect(() => run.logMetric('k'.repeat(251), 1, 0)).toThrow(/limit is 250/);
    expect(() => run.logMetric('loss', 1, -1)).toThrow(/step -1 is negative/);
    expect(() => run.logMetric('loss', 1, 0.5)).toThrow(/not an integer/);
    expect(() => run.logMetric('loss', 1, Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
    expect(() => run.logMetric('loss', '1' as unknown as number, 0)).toThrow(/must be a number/);
    expect(() => run.logMetrics({ ok: 1, '': 2 }, 0)).toThrow(/key is empty/); // all or nothing: 'ok' not queued either
    expect(() => client.logMetric(randomUUID(), 'loss', 1, 0)).toThrow(/is not active in this client/);
    expect(() => client.logMetric('nope', 'loss', 1, 0)).toThrow(/"nope" is not a run id/);
    expect(() => run.logTaskResult({ task: 'malignancy', split: 'dev' } as never)).toThrow(/split: 'dev' is not one of/);
    expect(client.stats().queued).toBe(before);
    await client.flush();
    expect(await store.getMetricHistory(run.id, 'ok')).toEqual([]);
  });

  it('accepts NaN and ±Infinity values and stores them as they are', async () => {
    const run = await client.startRun(runInput(projectId));
    run.logMetric('loss', Number.NaN, 0);
    run.logMetric('loss', Number.POSITIVE_INFINITY, 1);
    run.logMetric('loss', Number.NEGATIVE_INFINITY, 2);
    await client.flush();
    expect((await store.getMetricHistory(run.id, 'loss')).map((p) => p.value)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('refuses to change a param at the call, including one logged by an earlier attempt', async () => {
    const run = await client.startRun({ ...runInput(projectId), params: { lr: 0.1 } });
    run.logParam('lr', 0.1); // the same value again is fine
    expect(() => run.logParam('lr', 0.2)).toThrow(/param 'lr' of run .* is already '0.1'/);
    await client.flush();
    const resumed = await client.attachRun(run.id);
    expect(() => resumed.logParam('lr', 0.3)).toThrow(/already '0.1'/);
    await expect(client.attachRun(randomUUID())).rejects.toBeInstanceOf(UnknownRunError);
  });

  it('ends a run behind everything logged before, and then refuses more logging to it', async () => {
    const run = await client.startRun(runInput(projectId));
    run.logMetric('loss', 1, 0);
    await run.end('failed', 'diverged');
    expect(await store.getRun(run.id)).toMatchObject({ status: 'failed', errorText: 'diverged' });
    expect(await store.getMetricHistory(run.id, 'loss')).toHaveLength(1);
    expect(() => run.logMetric('loss', 1, 1)).toThrow(/cannot be logged to after endRun/);
    await expect(client.endRun(run.id, 'finished')).rejects.toThrow(TrackingInputError);
  });

  it('logs task results, confusion matrices and ROC curves', async () => {
    const run = await client.startRun(runInput(projectId));
    const s = (value: number) => ({ value, lo: null, hi: null });
    run.logTaskResult({ task: 'malignancy', split: 'test', averaging: 'binary', accuracy: s(0.8), precision: s(0.7), recall: s(0.6), f1: s(0.65), auc: null, support: 10 });
    run.logConfusionMatrix({ task: 'malignancy', split: 'test', labels: [0, 1], counts: [[5, 1], [1, 3]] });
    run.logRocCurve({ task: 'malignancy', split: 'test', classCode: 1, points: [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }, { fpr: 1, tpr: 1, threshold: 0 }] });
    await client.flush();
    expect(await store.getTaskResults(run.id)).toHaveLength(1);
    expect((await store.getConfusionMatrices(run.id))[0]?.counts).toEqual([[5, 1], [1, 3]]);
    expect(await store.getRocCurve(run.id, 'malignancy', 'test', 1)).toHaveLength(2);
  });

  it('logs a file artifact as it was when logged, and fetches it back', async () => {
    const run = await client.startRun(runInput(projectId));
    const file = join(dir, 'weights.bin');
    await writeFile(file, Buffer.from('epoch 1 weights'));
    const logged = await run.logArtifact(file, { path: 'checkpoints/last.bin', kind: 'checkpoint', step: 1 });
    await writeFile(file, Buffer.from('epoch 2 weights')); // overwritten before the flush
    const out = join(dir, 'fetched.bin');
    const fetched = await run.fetchArtifact('checkpoints/last.bin', out);
    expect(fetched.data.toString()).toBe('epoch 1 weights');
    expect(fetched.sha256).toBe(logged.sha256);
    await expect(run.logArtifact(join(dir, 'missing.bin'))).rejects.toThrow(/cannot read .*missing.bin \(ENOENT\)/);
  });

  it('deletes artifacts in queue order: after what was logged before, before what is logged after', async () => {
    const run = await client.startRun(runInput(projectId));
    run.logArtifactBytes('best-1.ckpt', Buffer.from('one'), { kind: 'model' });
    run.logArtifactBytes('best-2.ckpt', Buffer.from('two'), { kind: 'model' });
    run.deleteArtifacts(['best-1.ckpt', 'best-2.ckpt']);
    run.logArtifactBytes('best-2.ckpt', Buffer.from('two again'), { kind: 'model' });
    run.deleteArtifacts([]);
    await client.flush();
    expect((await store.listArtifacts(run.id)).map((a) => a.path)).toEqual(['best-2.ckpt']);
    expect((await run.fetchArtifact('best-2.ckpt')).data.toString()).toBe('two again');
    expect(() => run.deleteArtifacts([''])).toThrow(TrackingInputError);
  });

  it('logs per-case predictions through logBatch, in batches of at most maxBatchPoints, and refuses bad ones at the call', async () => {
    const run = await client.startRun(runInput(projectId));
    const batches: number[] = [];
    const original = store.logBatch.bind(store);
    store.logBatch = async (runId, batch) => {
      if (batch.predictions?.length) batches.push(batch.predictions.length);
      return original(runId, batch);
    };
    const predictions = Array.from({ length: 45_000 }, (_, i) => ({
      split: 'test' as const,
      task: 'malignancy',
      caseId: `c${i}`,
      label: i % 2,
      predicted: 1,
      probabilities: [0.3, 0.7],
    }));
    run.logPredictions(predictions);
    run.logMetric('loss', 1, 0);
    expect(() => run.logPredictions([{ ...predictions[0], split: 'tset' as 'test' }])).toThrow(/logPredictions\[0\]\.split: 'tset' is not one of/);
    expect(() => run.logPredictions([{ ...predictions[0], predicted: 0.5 }])).toThrow(/predicted: 0\.5 must be a class code/);
    await client.flush();
    expect(batches).toEqual([20_000, 20_000, 5_000]);
    expect(await store.getPredictions(run.id, { task: 'malignancy' })).toHaveLength(45_000);
    expect(errors).toEqual([]);
  });

  it('batches many points into few store calls', async () => {
    const run = await client.startRun(runInput(projectId));
    let calls = 0;
    const original = store.logBatch.bind(store);
    store.logBatch = async (runId, batch) => {
      calls += 1;
      return original(runId, batch);
    };
    for (let step = 0; step < 50_000; step += 1) run.logMetric('loss', step, step);
    await client.flush();
    expect(await store.getMetricHistory(run.id, 'loss')).toHaveLength(50_000);
    expect(calls).toBeLessThanOrEqual(4); // 20,000 points per call
    expect(errors).toEqual([]);
  });

  it('leaves no journal behind when the store was reachable throughout', async () => {
    const run = await client.startRun(runInput(projectId));
    run.logMetric('loss', 1, 0);
    await client.close();
    const files = await readdir(join(dir, 'journal')).catch(() => []);
    expect(files.filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  });
});
