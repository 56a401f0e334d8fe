// The clinical-parameter selection page in a real headless Chromium, on analyses the trainer's
// own `select` command made from a real tiny sweep: two analyses of the same runs (default rule,
// then a looser alpha) form the project's history. The page shows the seven parameters with
// their figures, the rule, our set beside the paper's, the over-time chart with kept/dropped
// marks; the exports parse back to the numbers shown; axe finds nothing serious. A share link for
// the analysis opens the clinician's wording in a second context, which cannot reach /selection
// or the selection API.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { cli } from '@ovus/trainer/testing';
import { startDashboard, type DashboardServer } from '../src/serve/server';
import { launchBrowser, screenshot, seriousViolations, watchErrors } from './browser';
import { addAccount, signIn, TEST_AUTH_ENV } from './sign-in';
import { trainTinySweep, type TinySweep } from './tiny-sweep';

const EMAIL = 'selection-member@example.org';
const PASSWORD = 'selection member passphrase';
const PAPER_SET = 'Blood flow signal, Morphology, Septation, Solid component';

let data: TinySweep;
let server: DashboardServer;
let browser: Browser;
let member: BrowserContext;
let clinician: BrowserContext;
let db: TrackingDatabase;
let projectId = '';
const analyses: { id: string; selected: string[] }[] = [];

async function select(...extra: string[]): Promise<{ id: string; selected: string[] }> {
  const result = await cli('select', '--sweep', data.sweepId, '--json', ...extra);
  if (result.code !== 0) throw new Error(`select ${extra.join(' ')} failed (${result.code}): ${result.err}`);
  const parsed = JSON.parse(result.out) as { analysisId: string; created: boolean; selected: string[] };
  expect(parsed.created).toBe(true);
  return { id: parsed.analysisId, selected: parsed.selected };
}

beforeAll(async () => {
  data = await trainTinySweep();
  analyses.push(await select());
  // A looser rule over the same runs: a second analysis in the history, one that keeps parameters
  // even on this tiny, barely trained sweep (so kept and dropped both show).
  const loose = ['alpha=1', 'minCramersV=0', 'minClassShare=0', 'minF1AboveChance=-1', 'minAucLowerBound=0'];
  analyses.push(await select(...loose.flatMap((t) => ['--threshold', t])));
  db = await openTrackingDatabase({ databaseUrl: data.e2e.db.url });
  projectId = (await db.sweeps.get(data.sweepId))!.projectId;
  await addAccount(data.e2e.db.url, EMAIL, PASSWORD);
  server = await startDashboard({ port: 3300 + Math.floor(Math.random() * 600), databaseUrl: data.e2e.db.url, env: TEST_AUTH_ENV });
  browser = await launchBrowser();
  member = await browser.newContext({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
  clinician = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  for (const context of [member, clinician]) context.setDefaultTimeout(120_000);
  // The first request loads the server's run-time side (API, auth, database): on a loaded 2-core
  // machine that can outlast the sign-in request's 30 s, so it is made here, without a limit.
  await fetch(`${server.url}/api/auth/get-session`);
  await signIn(member, server.url, EMAIL, PASSWORD);
});

afterAll(async () => {
  await member?.close();
  await clinician?.close();
  await browser?.close();
  await server?.stop();
  await db?.close();
  await data?.e2e.cleanup();
});

async function download(page: Page, format: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export="${format}"]`).first().click()]);
  return readFile((await file.path()) as string, 'utf8');
}

/** The first line of each figure cell (run links follow on the next lines), by parameter and metric. */
async function shownCells(page: Page): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const row of await page.locator('[data-testid="selection-table"] tbody tr').all()) {
    const parameter = (await row.getAttribute('data-parameter')) as string;
    for (const cell of await row.locator('td[data-metric]').all()) out.set(`${parameter}/${await cell.getAttribute('data-metric')}`, (await cell.innerText()).split('\n')[0].trim());
  }
  return out;
}

/** RFC 4180 lines without quoted newlines (the exports have none): cells, quotes undone. */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')));
}

describe('the selection page on analyses of a tiny real sweep', () => {
  it('shows the latest analysis: seven parameters, the rule, our set beside the paper’s, the chart over time', async () => {
    const page = await member.newPage();
    const errors = watchErrors(page);
    const response = await page.goto(`${server.url}/selection?project=${projectId}`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(await page.locator('[data-state="error"]').count()).toBe(0);
    const rows = page.locator('[data-testid="selection-table"] tbody tr');
    expect(await rows.count()).toBe(7);
    // The latest analysis is the second one: its kept set is the table's.
    expect(analyses[1].selected.length).toBeGreaterThan(0);
    const kept = await page.locator('[data-testid="selection-table"] tbody tr[data-selected="kept"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-parameter')));
    expect(kept).toEqual(analyses[1].selected);
    for (const row of await rows.all()) expect(await row.locator('.ui-selection-why .ui-sub').innerText()).toMatch(/^(Kept|Dropped): /);
    expect(await page.locator('[data-testid="rule-text"] li').first().innerText()).toMatch(/^Rule association\+balance\+predictability\+contribution/);
    expect(await page.locator('[data-set="paper"]').innerText()).toBe(PAPER_SET);
    // The runs behind the predictability figures are the sweep's runs, linked.
    const sweepRuns = new Set((await db.runs.list({ sweepId: data.sweepId })).map((r) => r.id));
    const runHrefs = await page.locator('[data-testid="selection-table"] a[data-run-link]').evaluateAll((as) => as.map((a) => a.getAttribute('href') as string));
    expect(runHrefs.length).toBeGreaterThan(0);
    for (const href of runHrefs) expect(sweepRuns.has(href.replace('/runs/', ''))).toBe(true);
    const runPage = await member.newPage();
    expect((await runPage.goto(`${server.url}${runHrefs[0]}`))?.status()).toBe(200);
    await runPage.close();
    // Over time: one line per parameter, a dot per analysis where it has the score, filled where kept.
    const chart = page.locator('[data-chart="selection-timeline"]');
    await chart.locator('svg').first().waitFor();
    expect(await chart.getAttribute('data-analyses')).toBe('2');
    const timeline = await db.selections.timeline(projectId);
    const withValue = timeline.filter((p) => p.cramersV !== null);
    expect(await chart.locator('path.recharts-curve').count()).toBe(new Set(withValue.map((p) => p.parameter)).size);
    expect(await chart.locator('circle[data-kept="kept"]').count()).toBe(withValue.filter((p) => p.selected).length);
    expect(await chart.locator('circle[data-kept="dropped"]').count()).toBe(withValue.filter((p) => !p.selected).length);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'selection');
    // Another score through the URL, and the older analysis from the history.
    await Promise.all([page.waitForURL(/score=f1/), page.locator('a[href*="score=f1"]').first().click()]);
    await chart.locator('svg').first().waitFor();
    expect(await page.locator('[data-chart="selection-timeline"] figcaption').innerText()).toContain('F1 of the parameter');
    await Promise.all([page.waitForURL(new RegExp(`analysis=${analyses[0].id}`)), page.locator(`[data-analysis="${analyses[0].id}"] a`).first().click()]);
    expect(new URL(page.url()).searchParams.get('score')).toBe('f1');
    const older = await page.locator('[data-testid="selection-table"] tbody tr[data-selected="kept"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-parameter')));
    expect(older).toEqual(analyses[0].selected);
    expect(errors()).toEqual([]);
    await page.close();
  });

  it('exports CSV, Markdown and LaTeX that parse back to the numbers shown', async () => {
    const page = await member.newPage();
    await page.goto(`${server.url}/selection?project=${projectId}`, { waitUntil: 'networkidle' });
    const shown = await shownCells(page);
    const titles = await page.locator('[data-testid="selection-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-parameter') as string, (tr.querySelector('th')?.lastChild?.textContent ?? '').trim(), tr.getAttribute('data-selected') as string]),
    );
    const csv = parseCsv(await download(page, 'csv'));
    const header = csv[0];
    expect(header.slice(0, 3)).toEqual(['Parameter', 'n', "Cramér's V"]);
    expect(csv).toHaveLength(8);
    const col = (name: string) => header.indexOf(name);
    titles.forEach(([parameter, title, selected], i) => {
      const line = csv[i + 1];
      expect(line[0]).toBe(`${title} (${selected})`);
      expect(line[1]).toBe(shown.get(`${parameter}/n`)?.replace(/\D+$/, '') ?? '');
      expect(line[col("Cramér's V")] || '—').toBe(shown.get(`${parameter}/cramersV`));
      expect(line[col('MI (bits)')] || '—').toBe(shown.get(`${parameter}/mi`));
      expect(line[col('Holm p')] || '—').toBe(shown.get(`${parameter}/pHolm`)); // e-notation below 0.001 on both
      const f1 = line[col('F1')] ? `${line[col('F1')]}${line[col('F1 ± half-width')] ? ` ± ${line[col('F1 ± half-width')]}` : ''}` : '—';
      expect(f1).toBe(shown.get(`${parameter}/f1`));
      const auc = line[col('AUC')] ? `${line[col('AUC')]}${line[col('AUC ± half-width')] ? ` ± ${line[col('AUC ± half-width')]}` : ''}` : '—';
      expect(auc).toBe(shown.get(`${parameter}/auc`));
    });
    const markdown = await download(page, 'markdown');
    for (const [parameter, title, selected] of titles) {
      const line = markdown.split('\n').find((l) => l.startsWith(`| ${title} (${selected}) |`));
      expect(line, `${parameter} in the Markdown`).toBeDefined();
      const f1 = shown.get(`${parameter}/f1`) as string;
      if (f1 !== '—') expect(line).toContain(f1);
    }
    const latex = await download(page, 'latex');
    expect(latex).toContain('\\begin{tabular}');
    for (const [parameter] of titles) {
      const v = shown.get(`${parameter}/cramersV`) as string;
      if (v !== '—') expect(latex).toContain(v);
    }
    await page.close();
  });

  it('says what is wrong for an unknown project, and lists projects without one', async () => {
    const page = await member.newPage();
    await page.goto(`${server.url}/selection?project=00000000-0000-4000-8000-000000000000`);
    expect(await page.locator('[data-state="error"]').innerText()).toContain('No such project');
    await page.goto(`${server.url}/selection`);
    expect(await page.locator('[data-project-link="dash-e2e"]').count()).toBe(1);
    await page.close();
  });

  it('shares the analysis: a second context reads which findings were kept and why, and cannot reach /selection', async () => {
    const page = await member.newPage();
    await page.goto(`${server.url}/selection?project=${projectId}`);
    await Promise.all([page.waitForURL(/\/links\?scope=selection/), page.locator(`a[data-share-target="${analyses[1].id}"]`).click()]);
    await page.fill('input[name="label"]', 'Key features for the tumour board');
    await page.click('button[type="submit"]:has-text("Make link")');
    const shareUrl = (await page.locator('[data-testid="new-link-url"]').innerText()).trim();
    await page.close();

    const view = await clinician.newPage();
    const response = await view.goto(shareUrl);
    expect(response?.status()).toBe(200);
    await expect.poll(() => view.locator('[data-share-state="open"]').count()).toBe(1);
    const items = view.locator('[data-testid="shared-parameters"] li');
    expect(await items.count()).toBe(7);
    const text = await view.locator('main').innerText();
    expect(text).toContain('Key features for the tumour board');
    expect(text).toContain('Research software — not for clinical decisions.');
    expect(text).toMatch(/(Kept|Not kept) because /);
    const html = await view.content();
    const runIds = (await db.selections.detail(analyses[1].id))!.runIds;
    for (const secret of [...runIds, data.sweepId, 'tiny-backbones', 'alpha', 'minCramersV', 'minAucLowerBound', analyses[1].id]) expect(html).not.toContain(secret);
    expect(await seriousViolations(view)).toEqual([]);
    await screenshot(view, 'selection-share-clinician-view');

    await view.goto(`${server.url}/selection?project=${projectId}`);
    expect(new URL(view.url()).pathname).toBe('/sign-in');
    const token = shareUrl.split('/').pop() as string;
    const input = encodeURIComponent(JSON.stringify({ json: { id: analyses[1].id } }));
    const refused = await clinician.request.get(`${server.url}/api/trpc/selection.get?input=${input}`, { headers: { 'x-ovus-share-token': token } });
    expect(refused.status()).toBe(401);
    expect(await refused.text()).not.toContain('Blood flow');
    await view.close();
  });
});
