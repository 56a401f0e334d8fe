// Predicting a pair in a real headless Chromium: one tiny run trained by the trainer's CLI on the
// imported phantom, a member signs in, follows the run page's "Predict a pair" link, uploads a
// BMUS and a CEUS image of a phantom case through the file inputs, and reads every head's
// probabilities, the overlays (at the uploads' aspect), the IOTA verdict and the report, and
// downloads the report; then the refusals: a non-image, a missing image, one over the size cap,
// a run without a model.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES } from '@ovus/domain';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { importPhantom, startCli, startE2e, type E2eEnvironment } from '@ovus/trainer/testing';
import { startDashboard, type DashboardServer } from '../src/serve/server';
import { launchBrowser, screenshot, seriousViolations, watchErrors } from './browser';
import { addAccount, signIn, TEST_AUTH_ENV } from './sign-in';
import { DATASET, PROJECT } from './tiny-sweep';

let e2e: E2eEnvironment;
let db: TrackingDatabase;
let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let runId = '';
let emptyRunId = '';
/** One phantom case's images, reshaped to 4:3 (the CEUS also four times the training size, to be warned about). */
const pair = { bmus: Buffer.alloc(0), ceus: Buffer.alloc(0) };

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, DATASET);
  const train = startCli(e2e, [
    'train',
    '--project',
    PROJECT,
    '--set',
    `dataset.name=${DATASET}`,
    '--set',
    'backbone=mobilenet-v3-small',
    '--set',
    'backboneOptions.widthMultiplier=0.25',
    '--set',
    'imageSize=32',
    '--set',
    'batchSize=4',
    '--set',
    'epochs=2',
    '--set',
    'evaluation.bootstrapResamples=20',
  ]);
  const code = await train.exited;
  if (code !== 0) throw new Error(`train exited with ${code}:\n${train.output()}`);
  db = await openTrackingDatabase({ databaseUrl: e2e.db.url });
  const [run] = await db.runs.list({ limit: 1 });
  runId = run.id;
  emptyRunId = (await db.runs.create({ projectId: run.projectId, name: 'queued, never trained', backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 0, config: {} })).run.id;
  const images = join(e2e.dataDir, DATASET, 'images');
  const first = (await readdir(images)).filter((f) => f.endsWith('_bmus.png')).sort()[0];
  pair.bmus = await sharp(join(images, first)).resize(64, 48, { fit: 'fill' }).png().toBuffer();
  pair.ceus = await sharp(join(images, first.replace('_bmus.png', '_ceus.png'))).resize(128, 96, { fit: 'fill' }).png().toBuffer();
  await addAccount(e2e.db.url, 'predict-member@example.org', 'predict member passphrase');
  server = await startDashboard({ port: 3300 + Math.floor(Math.random() * 90), databaseUrl: e2e.db.url, env: TEST_AUTH_ENV });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  // The first request loads the API and sign-in libraries into the server (slow on a busy machine): not the sign-in's 30 s.
  await context.request.get(`${server.url}/sign-in`, { timeout: 180_000 });
  await signIn(context, server.url, 'predict-member@example.org', 'predict member passphrase');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  await db?.close();
  await e2e?.cleanup();
});

describe('predicting a pair in the browser', () => {
  it("shows every head's probabilities, the overlays, the IOTA verdict and the report, and downloads the report", async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/runs/${runId}`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/predict' && u.searchParams.get('run') === runId), page.click('[data-testid="predict-link"]')]);
    await page.setInputFiles('input[name="bmus"]', { name: 'case_bmus.png', mimeType: 'image/png', buffer: pair.bmus });
    await page.setInputFiles('input[name="ceus"]', { name: 'case_ceus.png', mimeType: 'image/png', buffer: pair.ceus });
    await page.click('button[type="submit"]:has-text("Predict")');
    await page.locator('[data-testid="prediction"]').waitFor({ timeout: 60_000 });

    const heads = page.locator('[data-testid="head-probabilities"]');
    expect((await heads.evaluateAll((tables) => tables.map((t) => t.getAttribute('data-task')))).sort()).toEqual([...TASK_NAMES].sort());
    for (const sums of await heads.evaluateAll((tables) => tables.map((t) => [...t.querySelectorAll('tr[data-probability]')].reduce((s, r) => s + Number(r.getAttribute('data-probability')), 0)))) {
      expect(sums).toBeCloseTo(1, 5);
    }

    // One overlay per head and image, each a decoded picture at its upload's 4:3 aspect.
    const overlays = await page.locator('[data-testid^="overlay-"] img').evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((img) => ({ complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, src: img.src.slice(0, 22) })),
    );
    expect(overlays).toHaveLength(2 * TASK_NAMES.length);
    for (const o of overlays) {
      expect(o).toMatchObject({ complete: true, src: 'data:image/png;base64,' });
      expect(o.width / o.height).toBeCloseTo(4 / 3, 2);
    }
    // At 32 px the last feature map has one cell: the page says the maps cannot locate anything.
    expect(await page.locator('[data-testid="saliency-coarse"]').innerText()).toMatch(/only 1×1 cells/);
    expect(await page.locator('[data-testid="input-bmus"] img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(64);

    await expect.poll(() => page.locator('[data-testid="prediction-warnings"]').innerText()).toMatch(/case_ceus\.png \(128×96\) is far from the training images' size \(32×32\)/);
    expect(['benign', 'malignant', 'inconclusive', 'not-evaluable']).toContain(await page.locator('[data-testid="rule-verdict"]').getAttribute('data-verdict'));
    expect(await page.locator('[data-testid="rule-features"] tbody tr').count()).toBe(10);
    const report = await page.locator('[data-testid="report-text"]').innerText();
    expect(report).toMatch(/ADNEXAL MASS ULTRASOUND — STRUCTURED REPORT \(DECISION SUPPORT\)/);
    expect(report).toMatch(/O-RADS US/);
    expect(report).toMatch(/Decision support, not a diagnosis/);

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-pdf"]')]);
    expect(pdf.suggestedFilename()).toBe('case_bmus.report.pdf');
    const pdfBytes = await readFile(await pdf.path());
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const [markdown] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-markdown"]')]);
    expect(await readFile(await markdown.path(), 'utf8')).toMatch(/^# Adnexal mass ultrasound — structured report \(decision support\)\n[\s\S]*## IOTA Simple Rules/);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'predict-pair');
    expect(errors()).toEqual([]);
    await page.close();
  });

  it('refuses a non-image, a missing image, one over the size cap and a run without a model, in words on the page', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/predict?run=${runId}`);
    await page.setInputFiles('input[name="bmus"]', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are my notes, not an image') });
    await page.setInputFiles('input[name="ceus"]', { name: 'case_ceus.png', mimeType: 'image/png', buffer: pair.ceus });
    await page.click('button[type="submit"]:has-text("Predict")');
    await expect.poll(() => page.locator('[data-testid="predict-error"]').innerText(), { timeout: 30_000 }).toMatch(/B-mode \(BMUS\) image: 'notes\.png' does not start like a PNG file/);
    expect(await page.locator('[data-testid="prediction"]').count()).toBe(0);

    await page.setInputFiles('input[name="ceus"]', { name: 'case_ceus.png', mimeType: 'image/png', buffer: pair.ceus });
    await page.click('button[type="submit"]:has-text("Predict")');
    await expect.poll(() => page.locator('[data-testid="predict-error"]').innerText()).toMatch(/Choose the B-mode \(BMUS\) image/);
    // Over the cap: refused in the browser, before anything is sent.
    await page.setInputFiles('input[name="bmus"]', { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(5 * 1024 * 1024, 1) });
    await page.setInputFiles('input[name="ceus"]', { name: 'case_ceus.png', mimeType: 'image/png', buffer: pair.ceus });
    await page.click('button[type="submit"]:has-text("Predict")');
    await expect.poll(() => page.locator('[data-testid="predict-error"]').innerText()).toMatch(/'huge\.png' is 5\.0 MiB; at most 4 MiB is accepted/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'predict-refused');

    await page.goto(`${server.url}/predict?run=${emptyRunId}`);
    expect(await page.locator('[data-testid="run-without-model"]').innerText()).toMatch(/has no stored model: it has not started/);
    await page.goto(`${server.url}/runs/${emptyRunId}`);
    expect(await page.locator('[data-testid="predict-link"]').count()).toBe(0);
    await page.close();
  });
});
