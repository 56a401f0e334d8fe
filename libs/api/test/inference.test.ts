// inference.predictPair through createCaller against real PostgreSQL: a small model stored as a
// run's selected model (the bundle the trainer writes), an uploaded phantom pair; probabilities
// per head, overlays as PNG, the report; and the refusals — not an image, a truncated one, a
// missing run, a run without a model, a share link.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import sharp from 'sharp';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { synthesizePhantom } from '@ovus/data';
import { initEngine } from '@ovus/ml-engine';
import { buildMultiTaskModel, saveModel } from '@ovus/ml-models';
import { packFolder } from '@ovus/ml-training';
import { bindRepositories, PostgresTrackingStore, type TrackingRepositories } from '@ovus/tracking';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createContext } from '../src/index';
import { memberApi } from './callers';

let db: TestDatabase;
let repos: TrackingRepositories;
let dir: string;
let runId: string;
let emptyRunId: string;
let bmus: { name: string; base64: string };
let ceus: { name: string; base64: string };

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
  db = await createTestDatabase();
  const store = new PostgresTrackingStore(db);
  repos = bindRepositories(db, store);
  dir = await mkdtemp(join(tmpdir(), 'ovus-api-inference-'));
  const project = await repos.projects.ensure('inference-test');
  const make = async (name: string) =>
    (await store.createRun({ projectId: project.id, name, backbone: 'mobilenet-v3-small', tasks: ['blood_flow', 'solid', 'malignancy'], imageSize: 64, seed: 0, config: {} })).run.id;
  runId = await make('with a model');
  emptyRunId = await make('queued');
  const model = buildMultiTaskModel({ backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 }, tasks: ['blood_flow', 'solid', 'malignancy'], inputSize: 64 });
  await saveModel(model, join(dir, 'model'));
  model.dispose();
  const data = await packFolder(join(dir, 'model'));
  const path = 'checkpoints/best-epoch-0001.ckpt';
  await store.saveArtifact(runId, { path, kind: 'model', step: 1, data, sha256: createHash('sha256').update(data).digest('hex') });
  await store.logBatch(runId, { tags: [{ key: 'selected_model', value: path }] });
  await store.setRunStatus(runId, 'finished');
  const phantom = await synthesizePhantom({ outDir: join(dir, 'phantom'), seed: 2, cases: 4, imageSize: 96 });
  const first = phantom.cases[0];
  bmus = { name: 'case1_bmus.png', base64: (await readFile(join(phantom.outDir, first.bmusPath))).toString('base64') };
  ceus = { name: 'case1_ceus.png', base64: (await readFile(join(phantom.outDir, first.ceusPath))).toString('base64') };
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('inference.predictPair', () => {
  it("gives every head's probabilities, one overlay per head and image, and the report", async () => {
    const api = memberApi(repos);
    const result = await api.inference.predictPair({ runId, bmus, ceus });
    expect(result.backend).toBe('wasm');
    expect(result.model).toMatchObject({ artifact: 'checkpoints/best-epoch-0001.ckpt', backbone: 'mobilenet-v3-small', inputSize: 64 });
    expect(result.heads.map((h) => h.task)).toEqual(['blood_flow', 'solid', 'malignancy']);
    for (const head of result.heads) expect(head.classes.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 5);
    expect(result.absent).toEqual(['boundary', 'echogenicity', 'morphology', 'papillary', 'septation']);
    expect(result.saliency?.overlays.map((o) => `${o.task}/${o.modality}`)).toEqual(['blood_flow/bmus', 'blood_flow/ceus', 'solid/bmus', 'solid/ceus', 'malignancy/bmus', 'malignancy/ceus']);
    const png = Buffer.from(result.saliency?.overlays[0].pngBase64 as string, 'base64');
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 256, height: 256 });
    expect(result.reportMarkdown).toMatch(/## IOTA Simple Rules/);
    expect(result.reportMarkdown).toMatch(/Septation: not assessed/);
    expect(result.reportText).toMatch(/DECISION SUPPORT/);
    expect(result.reportText).toMatch(/Decision support, not a diagnosis/);
    expect(Buffer.from(result.reportPdfBase64 as string, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(['benign', 'malignant', 'inconclusive', 'not-evaluable']).toContain(result.rules?.verdict);
    expect(result.rules?.features.map((f) => f.feature)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'M1', 'M2', 'M3', 'M4', 'M5']);
    // Only blood flow and solid are predicted: B5/M5 follow from the flow head, B1 needs septation.
    expect(result.rules?.features.find((f) => f.feature === 'B1')).toMatchObject({ value: expect.stringMatching(/unknown|absent/) });
    expect(result.rules?.features.find((f) => f.feature === 'B5')?.value).toBe(result.heads[0].predicted === 0 ? 'present' : 'absent');
    expect(result.inputs.bmus).toMatchObject({ name: 'case1_bmus.png', width: 96, height: 96, format: 'png' });
    // Nothing stored by a prediction.
    expect((await repos.artifacts.list(runId)).length).toBe(1);
  });

  it("draws the overlays at each upload's own aspect", async () => {
    const api = memberApi(repos);
    const wide = { name: 'wide.png', base64: (await sharp(Buffer.from(bmus.base64, 'base64')).resize(150, 100, { fit: 'fill' }).png().toBuffer()).toString('base64') };
    const result = await api.inference.predictPair({ runId, bmus: wide, ceus, report: false });
    const bmusOverlay = result.saliency?.overlays.find((o) => o.modality === 'bmus');
    expect(bmusOverlay).toMatchObject({ width: 256, height: 171 });
    expect(await sharp(Buffer.from(bmusOverlay?.pngBase64 as string, 'base64')).metadata()).toMatchObject({ width: 256, height: 171 });
    expect(result.saliency?.overlays.find((o) => o.modality === 'ceus')).toMatchObject({ width: 256, height: 256 });
    expect(result.reportPdfBase64).toBeNull();
  });

  it('says which runs have a model to predict with, and why one has none', async () => {
    const api = memberApi(repos);
    expect(await api.inference.model({ runId })).toEqual({ ok: true, path: 'checkpoints/best-epoch-0001.ckpt', warnings: [] });
    expect(await api.inference.model({ runId: emptyRunId })).toMatchObject({ ok: false, reason: expect.stringMatching(/has no stored model: it has not started/) });
    expect(await refusal(api.inference.model({ runId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ code: 'NOT_FOUND' });
    const runs = await api.inference.predictableRuns({ limit: 10 });
    expect(runs.map((r) => r.id)).toEqual([runId]);
    expect(runs[0]).toMatchObject({ name: 'with a model', backbone: 'mobilenet-v3-small', model: 'checkpoints/best-epoch-0001.ckpt', tasks: ['blood_flow', 'solid', 'malignancy'] });
  });

  it('refuses bad uploads by their names, runs without a model, and share links', async () => {
    const api = memberApi(repos);
    const notImage = { name: 'notes.png', base64: Buffer.from('not an image at all').toString('base64') };
    const bad = await refusal(api.inference.predictPair({ runId, bmus: notImage, ceus, saliency: false }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/B-mode \(BMUS\) image: 'notes\.png' does not start like a PNG file/);
    const bytes = Buffer.from(ceus.base64, 'base64');
    const cut = await refusal(api.inference.predictPair({ runId, bmus, ceus: { name: 'cut.png', base64: bytes.subarray(0, bytes.length / 2).toString('base64') } }));
    expect(cut).toMatchObject({ code: 'BAD_REQUEST' });
    expect(cut.message).toMatch(/'cut\.png' cannot be decoded: .*truncated/);
    expect((await refusal(api.inference.predictPair({ runId, bmus: { name: 'a.gif', base64: bmus.base64 }, ceus }))).message).toMatch(/must end in \.png/);
    expect(await refusal(api.inference.predictPair({ runId: '00000000-0000-4000-8000-000000000000', bmus, ceus }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(api.inference.predictPair({ runId: emptyRunId, bmus, ceus }))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/has no stored model/) });
    expect((await refusal(api.inference.predictPair({ runId: 'best', bmus, ceus }))).code).toBe('NOT_FOUND'); // malformed ids too, as everywhere in the API
    const shared = createCaller(createContext({ db: repos, caller: { kind: 'share', token: 'not-a-real-share-token' } }));
    expect((await refusal(shared.inference.predictPair({ runId, bmus, ceus }))).code).toBe('UNAUTHORIZED');
  });
});
