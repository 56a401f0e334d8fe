// Sign-in and share links in a real headless Chromium: a member signs in through the sign-in
// page, makes a link for one run, a second browser context (the clinician) opens it and sees the
// clinician's wording; after revocation the same URL says it was revoked; an expired link says
// so; the clinician context reaches neither /runs nor any API beyond its link. Results are rows
// written straight into a fresh database (no training needed to test access).
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { startDashboard, type DashboardServer } from '../src/serve/server';
import { launchBrowser, screenshot, seriousViolations } from './browser';
import { addAccount, TEST_AUTH_ENV } from './sign-in';

const EMAIL = 'ana@example-hospital.org';
const PASSWORD = 'a long team passphrase';

let db: TestDatabase;
let server: DashboardServer;
let browser: Browser;
let member: BrowserContext;
let clinician: BrowserContext;
const ids = { run: '', runName: 'resnet18-x0.25-32px seed=0 internal-name' };

beforeAll(async () => {
  db = await createTestDatabase();
  const project = await db.prisma.project.create({ data: { name: 'share-e2e' } });
  const run = await db.prisma.run.create({
    data: { projectId: project.id, name: ids.runName, backbone: 'resnet18', tasks: ['malignancy', 'blood_flow'], imageSize: 32, seed: 0, config: { learningRate: 0.001 }, status: 'finished' },
  });
  ids.run = run.id;
  for (const [task, accuracy] of [['malignancy', 0.7308], ['blood_flow', 0.81]] as const) {
    await db.prisma.taskResult.create({
      data: { runId: run.id, task, split: 'test', averaging: 'macro', accuracy, accuracyLo: accuracy - 0.11, accuracyHi: accuracy + 0.09, precision: 0.7, recall: 0.7, f1: 0.7, auc: 0.8, aucLo: 0.7, aucHi: 0.9, support: 78 },
    });
  }
  await addAccount(db.url, EMAIL, PASSWORD, 'admin');
  server = await startDashboard({ port: 3200 + Math.floor(Math.random() * 90), databaseUrl: db.url, env: TEST_AUTH_ENV });
  browser = await launchBrowser();
  member = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  clinician = await browser.newContext({ viewport: { width: 1100, height: 900 } });
});

afterAll(async () => {
  await member?.close();
  await clinician?.close();
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

async function makeLink(label: string, expiresInDays: string): Promise<string> {
  const page = await member.newPage();
  await page.goto(`${server.url}/links?scope=run&target=${ids.run}`);
  await page.fill('input[name="label"]', label);
  await page.fill('input[name="expiresInDays"]', expiresInDays);
  await page.click('button[type="submit"]:has-text("Make link")');
  const url = (await page.locator('[data-testid="new-link-url"]').innerText()).trim();
  await page.close();
  return url;
}

describe('sign-in and share links in the browser', () => {
  let shareUrl = '';

  it('sends a visitor to the sign-in page, and a member signs in there', async () => {
    const page = await member.newPage();
    await page.goto(`${server.url}/runs`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('input[name="email"]', EMAIL);
    await page.fill('input[name="password"]', 'not the password');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('.form-error').innerText()).toContain('do not match an account');
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/runs'), page.click('button[type="submit"]')]);
    const cookie = (await member.cookies()).find((c) => c.name === 'ovus.session_token');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await screenshot(page, 'auth-signed-in-runs');
    await page.close();
  });

  it('makes a link for one run; a second browser opens it and reads the clinician view', async () => {
    shareUrl = await makeLink('For Dr. Lee', '30');
    expect(shareUrl).toMatch(new RegExp(`^${server.url}/share/[A-Za-z0-9_-]{43}$`));
    const page = await clinician.newPage();
    const response = await page.goto(shareUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    expect(response?.headers()['cache-control']).toContain('no-store');
    await expect.poll(() => page.locator('[data-share-state="open"]').count()).toBe(1);
    const text = await page.locator('main').innerText();
    expect(text).toContain('For Dr. Lee');
    expect(text).toContain('Research software — not for clinical decisions.');
    expect(text).toContain('correct in 73% of 78 test cases; 95% CI 62–82%');
    expect(text).toContain('blood flow signal present or no blood flow signal');
    // Nothing of the team's view: no run id or name, no config, no navigation to the dashboard.
    const html = await page.content();
    for (const secret of [ids.run, ids.runName, 'learningRate']) expect(html).not.toContain(secret);
    expect(await page.locator('nav[aria-label="Main"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'auth-share-clinician-view');
    await page.close();
  });

  it('keeps the clinician out of /runs and every API beyond the link', async () => {
    const page = await clinician.newPage();
    await page.goto(`${server.url}/runs`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.goto(`${server.url}/runs/${ids.run}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const token = shareUrl.split('/').pop() as string;
    const input = encodeURIComponent(JSON.stringify({ json: { id: ids.run } }));
    for (const headers of [{} as Record<string, string>, { 'x-ovus-share-token': token }]) {
      const runs = await clinician.request.get(`${server.url}/api/trpc/runs.get?input=${input}`, { headers });
      expect(runs.status()).toBe(401);
      const body = await runs.text();
      expect(body).not.toContain(ids.runName);
      const list = await clinician.request.get(`${server.url}/api/trpc/runs.list`, { headers });
      expect(list.status()).toBe(401);
    }
    const shared = await clinician.request.get(`${server.url}/api/trpc/share.view`, { headers: { 'x-ovus-share-token': token } });
    expect(shared.status()).toBe(200);
    await page.close();
  });

  it('shows the member how often the link was opened; after revocation the same URL says it was revoked', async () => {
    const page = await member.newPage();
    await page.goto(`${server.url}/links`);
    const row = page.locator('[data-testid="links-table"] tbody tr', { hasText: 'For Dr. Lee' });
    // Opened twice: the page, then share.view over HTTP.
    expect(await row.locator('td.num').innerText()).toBe('2');
    await row.locator('button[data-revoke]').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('link-revoked');
    await page.close();
    const view = await clinician.newPage();
    await view.goto(shareUrl);
    expect(await view.locator('[data-share-state="revoked"] h1').innerText()).toBe('This link was revoked');
    await screenshot(view, 'auth-share-revoked');
    await view.close();
  });

  it('says when a link has expired', async () => {
    const url = await makeLink('short-lived', '0.00002'); // about 1.7 s
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const page = await clinician.newPage();
    await page.goto(url);
    expect(await page.locator('[data-share-state="expired"] h1').innerText()).toBe('This link has expired');
    await screenshot(page, 'auth-share-expired');
    await page.close();
  });

  it('shows the admin the audit log: sign-ins, the failure, links made, opened, revoked', async () => {
    const page = await member.newPage();
    await page.goto(`${server.url}/audit`);
    const kinds = await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    for (const kind of ['sign-in', 'sign-in.failed', 'share.created', 'share.viewed', 'share.revoked', 'share.refused']) expect(kinds).toContain(kind);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'auth-audit');
    await page.close();
  });
});
