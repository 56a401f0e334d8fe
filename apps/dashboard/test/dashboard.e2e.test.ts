// The dashboard in a real headless Chromium on data a real tiny sweep produced: every page
// renders (no error state, no 5xx), charts draw the expected series, filters change the URL and
// the rows, exports download and parse back to the numbers shown, a run page follows a training
// run without reloading, rule baselines (`ovus iota`) sit in the backbone table marked with their
// coverage, no page has serious or critical accessibility violations, and every page is
// photographed into artifacts/screenshots/.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { cli, waitFor, type Child } from '@ovus/trainer/testing';
import { startDashboard, type DashboardServer } from '../src/serve/server';
import { launchBrowser, screenshot, seriousViolations, watchErrors } from './browser';
import { addAccount, signIn, TEST_AUTH_ENV } from './sign-in';
import { startLongRun, trainTinySweep, type TinySweep } from './tiny-sweep';

let data: TinySweep;
let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let db: TrackingDatabase;
let runIds: string[] = [];
const children: Child[] = [];

beforeAll(async () => {
  data = await trainTinySweep();
  db = await openTrackingDatabase({ databaseUrl: data.e2e.db.url });
  runIds = (await db.runs.list({ sweepId: data.sweepId })).map((r) => r.id).sort();
  server = await startDashboard({ port: 3100 + Math.floor(Math.random() * 800), databaseUrl: data.e2e.db.url, env: TEST_AUTH_ENV });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  // Every team page needs a signed-in member (share links are tested in share-links.e2e.test.ts).
  await addAccount(data.e2e.db.url, 'e2e-member@example.org', 'e2e member passphrase');
  await signIn(context, server.url, 'e2e-member@example.org', 'e2e member passphrase');
});

afterAll(async () => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  await context?.close();
  await browser?.close();
  await server?.stop();
  await db?.close();
  await data?.e2e.cleanup();
});

/** Opens a page, waits for the network to settle, checks it rendered cleanly and is accessible. */
async function visit(path: string, name: string): Promise<Page> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
  expect(response?.status(), `${path} answered`).toBe(200);
  await expect.poll(() => page.locator('[data-state="error"]').count()).toBe(0);
  expect(await page.content()).not.toMatch(/at .*\.(ts|js):\d+/);
  expect(await seriousViolations(page), `axe on ${path}`).toEqual([]);
  await screenshot(page, name);
  expect(errors(), `errors on ${path}`).toEqual([]);
  return page;
}

async function seriesOf(page: Page, chart: string): Promise<string[]> {
  const attr = await page.locator(`[data-chart="${chart}"]`).first().getAttribute('data-series');
  return (attr ?? '').split('|').filter((s) => s !== '');
}

async function pathsIn(page: Page, chart: string, selector = 'path.recharts-curve'): Promise<number> {
  await page.locator(`[data-chart="${chart}"] svg`).first().waitFor();
  return page.locator(`[data-chart="${chart}"] ${selector}`).count();
}

async function download(page: Page, format: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export="${format}"]`).first().click()]);
  return readFile((await file.path()) as string, 'utf8');
}

/** `0.612 ± 0.040` cells of a score table, by row key and metric. */
async function cells(page: Page, table: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const row of await page.locator(`[data-testid="${table}"] tbody tr`).all()) {
    const key = (await row.locator('th').innerText()).split('\n')[0].trim();
    for (const cell of await row.locator('td[data-metric]').all()) out.set(`${key}/${await cell.getAttribute('data-metric')}`, (await cell.innerText()).trim());
  }
  return out;
}

describe('the dashboard on a tiny real sweep', () => {
  it('lists the project and its finished sweep', async () => {
    const page = await visit('/', 'projects');
    await expect.poll(() => page.locator('[data-project="dash-e2e"]').count()).toBe(1);
    const row = page.locator(`[data-sweep="${data.sweepId}"]`);
    expect(await row.innerText()).toContain('4 done');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('finished');
    // Stored so, not only derived on the page: the workers' run status writes kept the sweep's row.
    expect((await db.sweeps.get(data.sweepId))?.status).toBe('finished');
  });

  it('filters, sorts and chooses columns of the runs table through the URL', async () => {
    const page = await visit(`/runs?sweep=${data.sweepId}`, 'runs');
    expect(await page.locator('[data-testid="runs-table"] tbody tr').count()).toBe(4);
    // The menus offer every value the runs have, with how many runs have it (runs.facets).
    expect(await page.locator('select[data-filter="backbone"] option[value="resnet18"]').innerText()).toBe('resnet18 (2)');
    await page.locator('select[data-filter="backbone"]').selectOption('resnet18');
    await Promise.all([page.waitForURL(/backbone=resnet18/), page.getByRole('button', { name: 'Apply' }).click()]);
    expect(new URL(page.url()).searchParams.get('sweep')).toBe(data.sweepId);
    const backbones = await page.locator('[data-testid="runs-table"] tbody td[data-column="backbone"]').allInnerTexts();
    expect(backbones).toEqual(['resnet18', 'resnet18']);
    // Sort by the latest validation loss, ascending: the URL says so and the rows follow.
    await page.locator('a[data-column="metric:val/loss"]').click();
    await page.waitForURL(/sort=metric%3Aval%2Floss|sort=metric:val\/loss/);
    const url = new URL(page.url());
    const direction = url.searchParams.get('dir');
    const losses = (await page.locator('td[data-column="metric:val/loss"]').allInnerTexts()).map(Number);
    expect(losses).toEqual([...losses].sort((a, b) => (direction === 'asc' ? a - b : b - a)));
    // Pick two runs for comparison from the table.
    for (const box of (await page.locator('[data-testid="runs-table"] tbody input[name="runs"]').all()).slice(0, 2)) await box.check();
    await Promise.all([page.waitForURL(/\/compare\?runs=/), page.getByRole('button', { name: /Compare selected/ }).click()]);
    expect(new URL(page.url()).searchParams.getAll('runs')).toHaveLength(2);
    expect(await page.locator('[data-test="paired"]').count()).toBe(1);
    await page.goBack();
    // Choose columns: show the seed only (plus the name).
    await page.locator('.ui-columns summary').click();
    for (const box of await page.locator('.ui-columns-form input[type="checkbox"]').all()) await box.setChecked(['name', 'seed'].includes((await box.getAttribute('value')) ?? ''));
    await Promise.all([page.waitForURL(/col=seed/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(await page.locator('[data-testid="runs-table"] thead th:not(.ui-select-col)').allInnerTexts()).toEqual(['Name', 'Seed']);
    expect(new URL(page.url()).searchParams.get('backbone')).toBe('resnet18');
    await screenshot(page, 'runs-filtered');
  });

  it('shows the backbone table with its chart, and the exports parse back to the numbers shown', async () => {
    const page = await visit(`/sweeps/${data.sweepId}`, 'sweep-backbone-table');
    const shown = await cells(page, 'backbone-table');
    expect(await page.locator('[data-testid="backbone-table"] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid="backbone-table"] tbody strong').count()).toBe(1);
    expect(await seriesOf(page, 'backbone-bars')).toEqual(['F1']);
    expect(await pathsIn(page, 'backbone-bars', '.recharts-bar-rectangle path')).toBe(2);
    expect(await pathsIn(page, 'backbone-bars', '.recharts-errorBar')).toBeGreaterThanOrEqual(2);
    const csv = await download(page, 'csv');
    const [header, ...lines] = csv.trim().split('\n').map((l) => l.split(','));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      for (const [metric, title] of [['accuracy', 'Accuracy'], ['f1', 'F1']]) {
        const mean = line[header.indexOf(title)];
        const half = line[header.indexOf(`${title} ± half-width`)];
        expect(shown.get(`${line[0]}/${metric}`)).toBe(half === '' ? mean : `${mean} ± ${half}`);
      }
    }
    const markdown = await download(page, 'markdown');
    for (const text of shown.values()) if (text !== '—') expect(markdown).toContain(text);
    const latex = await download(page, 'latex');
    expect(latex).toContain('\\toprule');
    for (const text of shown.values()) if (text !== '—') expect(latex).toContain(text.replace('±', '$\\pm$'));
  });

  it('shows per-task results for a run with a whisker chart and exports', async () => {
    const page = await visit(`/results?run=${runIds[0]}`, 'results-per-task');
    expect(await page.locator('[data-testid="task-table"] tbody tr').count()).toBe(8);
    expect(await seriesOf(page, 'task-bars')).toEqual(['Accuracy', 'Precision', 'Recall', 'F1', 'AUC']);
    expect(await pathsIn(page, 'task-bars', '.recharts-bar-rectangle path')).toBeGreaterThanOrEqual(32);
    const shown = await cells(page, 'task-table');
    const markdown = await download(page, 'markdown');
    for (const text of shown.values()) if (text !== '—') expect(markdown).toContain(text);
  });

  it('shows a run: curves per head, metrics, learning rate, confusion heat maps, ROC, config, artifacts', async () => {
    const page = await visit(`/runs/${runIds[0]}`, 'run');
    expect(await seriesOf(page, 'loss-epoch')).toEqual(['train', 'validation']);
    expect(await pathsIn(page, 'loss-epoch')).toBe(2);
    // Total and per-head loss: train per step and per epoch, validation per epoch (8 heads).
    expect(await seriesOf(page, 'loss-step')).toEqual(['train loss']);
    expect(await seriesOf(page, 'head-loss-train')).toHaveLength(8);
    expect(await pathsIn(page, 'head-loss-train')).toBe(8);
    expect(await seriesOf(page, 'head-loss-train-epoch')).toHaveLength(8);
    expect(await pathsIn(page, 'head-loss-train-epoch')).toBe(8);
    expect(await seriesOf(page, 'head-loss-val')).toHaveLength(8);
    expect(await pathsIn(page, 'head-loss-val')).toBe(8);
    expect(await pathsIn(page, 'learning-rate')).toBe(1);
    expect(await page.locator('[data-chart="confusion"]').count()).toBe(8);
    expect(await pathsIn(page, 'roc-malignancy')).toBe(1);
    expect(await page.locator('[data-chart="roc-malignancy"]').innerText()).toMatch(/AUC \d\.\d{3}/);
    expect(await page.locator('[data-testid="artifacts"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="split-composition"] tbody tr').allInnerTexts()).toHaveLength(3);
    // An artifact downloads with the bytes its sha256 says.
    const link = page.locator('[data-testid="artifacts"] tbody a[download]').first();
    // Through the signed-in context: the download needs the member's session like the pages.
    const response = await context.request.get(new URL((await link.getAttribute('href')) as string, server.url).href);
    expect(response.status()).toBe(200);
    const bytes = await response.body();
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(response.headers()['x-content-sha256']);
    // Without a session the same URL is refused, and an unknown path is a 404, not an error page.
    expect((await fetch(new URL((await link.getAttribute('href')) as string, server.url))).status).toBe(401);
    expect((await context.request.get(`${server.url}/api/artifacts/${runIds[0]}?path=no-such-file`)).status()).toBe(404);
    // Smoothing draws the raw series faintly under the smoothed one, and goes into the URL.
    await page.locator('[data-control="smoothing"]').fill('0.6');
    await page.waitForURL(/smooth=0\.6/);
    expect(await page.locator('[data-chart="loss-step"] .ui-series-raw path.recharts-curve').count()).toBe(1);
    await page.locator('[data-control="log"]').check();
    await page.locator('[data-control="x-axis"]').selectOption('time');
    await page.waitForURL(/x=time/);
    expect(new URL(page.url()).searchParams.get('log')).toBe('1');
    await screenshot(page, 'run-smoothed-log-time');
  });

  it('compares runs: paired tests in words, scores with CIs, overlaid curves, config diff', async () => {
    const ids = [runIds[0], runIds[1], runIds[2]];
    const page = await visit(`/compare?runs=${ids.join(',')}`, 'compare');
    // One paired test per run against the first, each with its sentence and both tests' p-values.
    expect(await page.locator('[data-test="paired"]').count()).toBe(2);
    expect(await page.locator('[data-test="paired"] .sentence').first().innerText()).toMatch(/\w+/);
    expect(await page.locator('[data-test="mcnemar"]').first().innerText()).toMatch(/McNemar p = \d\.\d{3}/);
    expect(await page.locator('[data-test="delong"]').first().innerText()).toMatch(/DeLong p = \d\.\d{3}/);
    expect(await seriesOf(page, 'compare-val-loss')).toHaveLength(3);
    expect(await pathsIn(page, 'compare-val-loss')).toBe(3);
    expect(await page.locator('[data-testid="config-diff"]').innerText()).toContain('seed');
  });

  it("compares a backbone-table row's group with the best group: pairing per seed, tests, CIs over runs, mean curves", async () => {
    const sweep = await visit(`/sweeps/${data.sweepId}`, 'sweep-before-group-compare');
    const link = sweep.locator('[data-testid="backbone-table"] a[data-compare-group]');
    expect(await link.count()).toBe(1);
    await Promise.all([sweep.waitForURL(/\/compare\?.*groups=/), link.click()]);
    const groups = (new URL(sweep.url()).searchParams.get('groups') ?? '').split(',');
    expect(groups).toHaveLength(2);
    const page = await visit(new URL(sweep.url()).pathname + new URL(sweep.url()).search, 'compare-groups');
    expect(await page.locator('[data-test="paired-group"]').count()).toBe(1);
    expect(await page.locator('[data-test="pairing"]').innerText()).toMatch(/^Paired per seed: .* on seed 0, seed 1/);
    expect(await page.locator('[data-test="mcnemar"]').innerText()).toMatch(/McNemar p = \d\.\d{3}/);
    expect(await page.locator('[data-test="delong"]').innerText()).toMatch(/DeLong p = \d\.\d{3}/);
    // Two groups of two runs each: n = 2, and a ± interval over the runs.
    expect(await page.locator('[data-testid="compare-group-scores"] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid="compare-group-scores"] tbody td[data-metric="f1"]').first().innerText()).toMatch(/^\d\.\d{3} ± \d\.\d{3}$/);
    expect(await seriesOf(page, 'compare-group-val-loss')).toHaveLength(2);
    expect(await pathsIn(page, 'compare-group-val-loss')).toBe(2);
    expect(await page.locator('[data-testid="config-diff"]').innerText()).toContain('backbone');
    expect(await page.locator('[data-testid="config-diff"]').innerText()).not.toMatch(/^seed\b/m);
  });

  it('shows the datasets and a version with its label table', async () => {
    const list = await visit('/datasets', 'datasets');
    await list.locator('[data-testid="dataset-versions"] tbody a').first().click();
    await list.waitForURL(/\/datasets\/[0-9a-f-]{36}/);
    const page = await visit(new URL(list.url()).pathname, 'dataset');
    const labelRows = page.locator('[data-testid="label-table"] tbody tr[data-parameter]');
    expect(await labelRows.count()).toBe(16);
    // 24 cases: every parameter's classes add up to the case count (none missing in the phantom).
    const totals = (await page.locator('[data-testid="label-table"] tbody tr[data-parameter="blood_flow"] td[data-total]').allInnerTexts()).map(Number);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(24);
  });

  it('answers an unknown id with HTTP 404 and the not-found page, not an error or a stack', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/runs/${unknown}`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('body').innerText()).toContain('Nothing here');
    expect(await page.locator('body').innerText()).not.toMatch(/TRPCError|at .*\.(ts|js):\d+/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'not-found');
    // Every page that names something by id, in the path or the query, malformed ids included.
    for (const path of [`/sweeps/${unknown}`, '/sweeps/not-a-uuid', `/datasets/${unknown}`, `/results?run=${unknown}`, `/results?sweep=${unknown}&group=x`, `/compare?runs=${runIds[0]},${unknown}`, `/compare?groups=${unknown}:x,${data.sweepId}:y`]) {
      const answer = await context.request.get(`${server.url}${path}`);
      expect(answer.status(), path).toBe(404);
      expect(await answer.text(), path).not.toContain('data-state="error"');
    }
  });

  it('shows the error state, never a stack, when the API refuses a request', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/runs?cursor=not-a-cursor-from-this-list`, { waitUntil: 'networkidle' });
    const error = page.locator('[data-state="error"]');
    await error.waitFor();
    expect(await error.innerText()).toContain('could not load this page');
    expect(await page.locator('body').innerText()).not.toMatch(/TRPCError|at .*\.(ts|js):\d+|node_modules/);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'error-state');
  });

  it('follows a training run without reloading', async () => {
    const child = startLongRun(data.e2e);
    children.push(child);
    const run = await waitFor(
      'the long run to log its first epoch',
      async () => {
        const running = (await db.runs.list({ status: 'running' }))[0];
        if (!running) return null;
        const page = await (await context.request.get(`${server.url}/runs/${running.id}`)).text();
        return /data-testid="epoch">[1-9]/.test(page) ? running : null;
      },
      180_000,
      500,
      () => child.output(),
    );
    const page = await visit(`/runs/${run.id}`, 'run-live');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const firstStep = Number(await page.locator('[data-testid="last-step"]').innerText());
    await expect.poll(async () => Number(await page.locator('[data-testid="last-step"]').innerText()), { timeout: 60_000 }).toBeGreaterThan(firstStep);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    child.process.kill('SIGINT');
    await child.exited;
  });

  // Last, so the rule runs it adds change no count the tests above check.
  it('shows the IOTA Simple Rules beside the networks: marked, with coverage, never the best', async () => {
    const logged = await cli('iota', '--run', runIds[0], '--json');
    expect(logged.code, logged.err).toBe(0);
    const decided = (JSON.parse(logged.out) as { summary: { coverage: { count: number } } }[]).filter((l) => l.summary.coverage.count > 0).length;
    const page = await visit(`/sweeps/${data.sweepId}`, 'sweep-with-rule-baselines');
    const ruleRows = page.locator('[data-testid="backbone-table"] tbody tr[data-rule-baseline="true"]');
    expect(await ruleRows.count()).toBe(decided); // a rule run that decided no case has no result to show
    expect(await page.locator('[data-testid="backbone-table"] tbody tr').count()).toBe(2 + decided);
    expect(await page.locator('[data-testid="backbone-table"] tbody tr.ui-row-best').getAttribute('data-rule-baseline')).toBeNull();
    for (const row of await ruleRows.all()) {
      expect(await row.locator('td[data-metric="coverage"]').innerText()).toMatch(/^\d+% \[\d+–\d+%\]$/);
      expect(await row.locator('td.ui-paper').innerText()).toContain('decided 77%, sensitivity 92%, specificity 96%');
      expect(await row.locator('td[title]').getAttribute('title')).toMatch(/test cases the rules decided|no stored per-case predictions/);
    }
    const csv = await download(page, 'csv');
    expect(csv.split('\n')[0]).toContain('Coverage,Coverage CI low,Coverage CI high');
  });
});
