// `ovus predict` against a run trained here on a 32 px phantom with a subset of the heads: the
// prediction (table and JSON), the batch form, and every refusal — missing modality, non-image,
// truncated file, a run without a usable model — with nothing written to the database.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import { importPhantom, startE2e, TINY_RUN, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
let runId: string;
let phantomDir: string;
let firstPair: { bmus: string; ceus: string };

const TASKS = ['blood_flow', 'solid', 'malignancy'];

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'predict-phantom');
  phantomDir = join(e2e.dataDir, 'predict-phantom');
  const manifest = (await readFile(join(phantomDir, 'manifest.csv'), 'utf8')).trim().split('\n');
  const header = manifest[0].split(',');
  const row = manifest[1].split(',');
  firstPair = { bmus: join(phantomDir, row[header.indexOf('bmus_path')]), ceus: join(phantomDir, row[header.indexOf('ceus_path')]) };
  const sets = [
    'dataset.name=predict-phantom',
    'backbone=mobilenet-v3-small',
    'backboneOptions.widthMultiplier=0.25',
    'epochs=2',
    'backend=wasm',
    `tasks=${TASKS.join(',')}`,
    ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
  ].flatMap((s) => ['--set', s]);
  const trained = await cli('train', ...sets);
  if (trained.code !== 0) throw new Error(trained.err);
  runId = /Run ([0-9a-f-]{36}) \(/.exec(trained.out)?.[1] as string;
});

afterAll(async () => {
  await e2e?.cleanup();
});

async function storedRows(): Promise<number> {
  const { rows } = await e2e.db.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM run) + (SELECT count(*) FROM metric) + (SELECT count(*) FROM artifact) + (SELECT count(*) FROM tag) AS n`,
  );
  return Number(rows[0].n);
}

describe('ovus predict', () => {
  it("gives every trained head's probabilities with the run, the model's sha256 and the backend, and says which heads are absent", async () => {
    const before = await storedRows();
    const json = await cli('predict', '--run', runId, '--bmus', firstPair.bmus, '--ceus', firstPair.ceus, '--json');
    expect(json.code, json.err).toBe(0);
    const document = JSON.parse(json.out);
    const { rows } = await e2e.db.pool.query<{ sha256: string; path: string }>(
      `SELECT a.sha256, a.path FROM artifact a JOIN tag t ON t.run_id = a.run_id AND t.key = 'selected_model' AND t.value = a.path WHERE a.run_id = $1`,
      [runId],
    );
    expect(document).toMatchObject({ runId, backend: 'wasm', model: { sha256: rows[0].sha256, artifact: rows[0].path, inputSize: 32 } });
    const prediction = document.predictions[0];
    expect(Object.keys(prediction.heads)).toEqual(TASKS);
    for (const task of TASKS) {
      const classes = prediction.heads[task].classes as { probability: number }[];
      expect(classes.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 5);
    }
    expect(prediction.absent).toEqual(['boundary', 'echogenicity', 'morphology', 'papillary', 'septation']);

    const table = await cli('predict', '--run', runId, '--bmus', firstPair.bmus, '--ceus', firstPair.ceus);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/Blood flow signal\s+(Exist|Non-exist) 0\.\d{3}/);
    expect(table.out).toMatch(/Not predicted \(the run did not train these heads\): Boundary, Internal echogenicity, Morphology, Papillary projection, Septation/);
    // The same numbers as the JSON form: one code path.
    const malignant = prediction.heads.malignancy.classes[1].probability as number;
    expect(table.out).toContain(`Malignant ${malignant.toFixed(3)}`);
    expect(await storedRows()).toBe(before);
  });

  it('writes a Grad-CAM overlay per head and image with --saliency', async () => {
    const dir = join(e2e.dataDir, 'saliency');
    const result = await cli('predict', '--run', runId, '--bmus', firstPair.bmus, '--ceus', firstPair.ceus, '--saliency', dir, '--json');
    expect(result.code, result.err).toBe(0);
    const saliency = JSON.parse(result.out).saliency as { task: string; modality: string; file: string; method: string }[];
    expect(saliency.map((s) => `${s.task}/${s.modality}`)).toEqual(TASKS.flatMap((t) => [`${t}/bmus`, `${t}/ceus`]));
    expect(saliency[0].method).toMatch(/^Grad-CAM at '/);
    const meta = await sharp(saliency[0].file).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 256, height: 256, channels: 3 });
  });

  it('writes a structured report per pair with --report (text, Markdown, PDF)', async () => {
    const dir = join(e2e.dataDir, 'reports');
    const result = await cli('predict', '--run', runId, '--bmus', firstPair.bmus, '--ceus', firstPair.ceus, '--report', dir);
    expect(result.code, result.err).toBe(0);
    const name = basename(firstPair.bmus, '.png'); // a single pair is named after its BMUS file
    expect(result.out).toContain(`Report for ${name}: ${join(dir, `${name}.report.txt`)}, ${join(dir, `${name}.report.md`)}, ${join(dir, `${name}.report.pdf`)}`);
    const text = await readFile(join(dir, `${name}.report.txt`), 'utf8');
    expect(text).toMatch(/SEPTATION|Septation: not assessed — this model has no head for it/);
    expect(text).toMatch(/Decision support, not a diagnosis/);
    expect((await readFile(join(dir, `${name}.report.pdf`))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('predicts each pair of a manifest, and refuses the whole batch naming every bad row', async () => {
    const good = join(e2e.dataDir, 'pairs.csv');
    await writeFile(good, `case_id,bmus,ceus\nx1,${firstPair.bmus},${firstPair.ceus}\nx2,${firstPair.ceus},${firstPair.bmus}\n`);
    const batch = await cli('predict', '--run', runId, '--manifest', good, '--json');
    expect(batch.code, batch.err).toBe(0);
    expect(JSON.parse(batch.out).predictions.map((p: { caseId: string }) => p.caseId)).toEqual(['x1', 'x2']);

    const notImage = join(e2e.dataDir, 'notes.png');
    await writeFile(notImage, 'these are notes, not an image');
    const bad = join(e2e.dataDir, 'bad-pairs.csv');
    await writeFile(bad, `case_id,bmus,ceus\nok,${firstPair.bmus},${firstPair.ceus}\nbroken,${notImage},${firstPair.ceus}\nhalf,${firstPair.bmus},\n`);
    const refused = await cli('predict', '--run', runId, '--manifest', bad);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/row 3, column ceus: empty/);

    const bad2 = join(e2e.dataDir, 'bad-pairs-2.csv');
    await writeFile(bad2, `case_id,bmus,ceus\nok,${firstPair.bmus},${firstPair.ceus}\nbroken,${notImage},${firstPair.ceus}\n`);
    const refused2 = await cli('predict', '--run', runId, '--manifest', bad2);
    expect(refused2.code).toBe(2);
    expect(refused2.err).toMatch(/1 of 2 pairs cannot be read; nothing was predicted/);
    expect(refused2.err).toMatch(/row 2 \(broken\), column bmus: B-mode \(BMUS\) image: .*notes\.png' does not start like a PNG file/);
    expect(refused2.out).toBe('');
  });

  it('refuses a missing modality, a truncated image, and warns about an image far from the training size', async () => {
    const missing = await cli('predict', '--run', runId, '--bmus', firstPair.bmus);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/The contrast-enhanced \(CEUS\) image is missing: .*only --bmus was given.*Give both/);

    const bytes = await readFile(firstPair.ceus);
    const truncated = join(e2e.dataDir, 'truncated.png');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const cut = await cli('predict', '--run', runId, '--bmus', firstPair.bmus, '--ceus', truncated);
    expect(cut.code).toBe(2);
    expect(cut.err).toMatch(/contrast-enhanced \(CEUS\) image: .*truncated\.png' cannot be decoded: .*corrupt or truncated/);

    const small = join(e2e.dataDir, 'small.png');
    await sharp(firstPair.bmus).resize(12, 12).toFile(small);
    const warned = await cli('predict', '--run', runId, '--bmus', small, '--ceus', firstPair.ceus);
    expect(warned.code).toBe(0);
    expect(warned.err).toMatch(/warning: small: B-mode \(BMUS\) image small\.png \(12×12\) is far from the training images' size \(\d+×\d+\)/);
    expect(warned.err).toMatch(/smaller than the model's input \(32×32\)/);
  });

  it('refuses a run without a usable model', async () => {
    const notUuid = await cli('predict', '--run', 'best', '--bmus', firstPair.bmus, '--ceus', firstPair.ceus);
    expect(notUuid.code).toBe(2);
    expect(notUuid.err).toMatch(/'best' is not a run id/);

    const { rows } = await e2e.db.pool.query<{ id: string }>(
      `INSERT INTO run (id, project_id, name, status, backbone, tasks, image_size, seed, config)
       SELECT gen_random_uuid(), project_id, 'not started', 'queued', backbone, tasks, image_size, seed, config FROM run WHERE id = $1 RETURNING id`,
      [runId],
    );
    const queued = await cli('predict', '--run', rows[0].id, '--bmus', firstPair.bmus, '--ceus', firstPair.ceus);
    expect(queued.code).toBe(3);
    expect(queued.err).toMatch(/has no stored model: it has not started/);

    const copy = join(e2e.dataDir, 'copy.png');
    await copyFile(firstPair.bmus, copy);
    await e2e.db.pool.query(`DELETE FROM artifact WHERE run_id = $1`, [runId]);
    const gone = await cli('predict', '--run', runId, '--bmus', copy, '--ceus', firstPair.ceus);
    expect(gone.code).toBe(3);
    expect(gone.err).toMatch(/selected checkpoints\/.*\.ckpt, but that artifact is no longer stored/);
  });
});
