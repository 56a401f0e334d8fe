// Page timings for the dashboard bench: the production dashboard served on the bench's database
// (`npm run dashboard`'s entry point, built when stale), an account added with the trainer's
// `user add`, and headless Chromium (playwright-core, Debian's /usr/bin/chromium) signed in as it.
// A page's time runs from navigation until every chart it should draw has its SVG paths: what a
// person waits for. The server and the CLI are separate processes started by path, so this tool
// imports neither the app nor the auth library (type:tool may not).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EMAIL = 'bench-pages@example.org';
const PASSWORD = 'bench pages passphrase 0123';
const AUTH_SECRET = 'bench-pages-secret-0123456789-abcdefghij';

export interface PageSpec {
  name: string;
  path: string;
  /** CSS selectors that must each match at least `count` elements before the page counts as drawn. */
  drawn: { selector: string; count: number }[];
}

export interface PageTiming {
  name: string;
  p50: number;
  p95: number;
  loads: number;
}

/** Runs a TypeScript entry point of the workspace with tsx; resolves with its exit code and output. */
function runTs(entry: string, args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
    child.stdin.end(stdin ?? '');
  });
}

async function startServer(databaseUrl: string, port: number): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/dashboard/src/serve/main.ts', '--port', String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, OVUS_AUTH_SECRET: AUTH_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM'); // main.ts stops `next start` and closes the database
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  // A stale build is rebuilt first (a minute or more on a busy machine).
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The dashboard exited (code ${child.exitCode}):\n${output}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) return { url, child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The dashboard did not answer on ${url} within 10 minutes:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function signedInContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const response = await context.request.post(`${url}/api/auth/sign-in/email`, { data: { email: EMAIL, password: PASSWORD }, headers: { origin: url } });
  if (!response.ok()) throw new Error(`Signing in as ${EMAIL} failed: ${response.status()} ${await response.text()}`);
  return context;
}

async function timeLoads(context: BrowserContext, url: string, spec: PageSpec, loads: number): Promise<PageTiming> {
  const times: number[] = [];
  for (let i = 0; i < loads + 1; i += 1) {
    const page = await context.newPage();
    const started = performance.now();
    const response = await page.goto(`${url}${spec.path}`, { waitUntil: 'commit' });
    if (response?.status() !== 200) throw new Error(`${spec.path} answered ${response?.status()}`);
    for (const { selector, count } of spec.drawn) {
      await page.waitForFunction(([s, n]) => document.querySelectorAll(s as string).length >= (n as number), [selector, count] as const, { timeout: 120_000 });
    }
    if (i > 0) times.push(performance.now() - started); // the first load warms the server's caches and JIT
    await page.close();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { name: spec.name, p50: at(0.5), p95: at(0.95), loads };
}

/** Serves the dashboard on `databaseUrl`, times each page `loads` times (after one warm-up), and stops it. */
export async function timePages(databaseUrl: string, pages: readonly PageSpec[], loads: number, log: (line: string) => void): Promise<PageTiming[]> {
  const added = await runTs('apps/trainer/src/main.ts', ['user', 'add', EMAIL], { DATABASE_URL: databaseUrl }, `${PASSWORD}\n`);
  if (added.code !== 0) throw new Error(`ovus user add failed (exit ${added.code}):\n${added.output}`);
  log('starting the production dashboard (built first if its build is stale)…');
  const server = await startServer(databaseUrl, 3900 + Math.floor(Math.random() * 90));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const context = await signedInContext(browser, server.url);
    const out: PageTiming[] = [];
    for (const spec of pages) out.push(await timeLoads(context, server.url, spec, loads));
    return out;
  } finally {
    await browser.close();
    await server.stop();
  }
}
