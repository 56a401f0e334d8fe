// Builds the dashboard when its build is missing or older than its sources, then serves it with
// `next start` and resolves once it answers. Used by `npm run dashboard`, the demo, and the e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAuthEnv } from '@ovus/auth';
import { buildState } from './build-freshness';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../../../node_modules/next/dist/bin/next', import.meta.url));

/**
 * The workspace libraries the server imports are TypeScript (see next.config.ts): every Next
 * process, build workers included, loads them through tsx.
 */
function nextEnv(): Record<string, string> {
  const options = process.env.NODE_OPTIONS ?? '';
  return { NODE_OPTIONS: options.includes('--import tsx') ? options : `${options} --import tsx`.trim(), NEXT_TELEMETRY_DISABLED: '1' };
}

export interface DashboardServer {
  url: string;
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and resolves when it has exited. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  log?: (line: string) => void;
  /** Extra environment for the server (tests lower the refresh interval, for example). */
  env?: Record<string, string | undefined>;
}

/** Runs `next build` unless a build newer than every source exists. Returns whether it built. */
export async function ensureBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  const state = await buildState(REPO_ROOT);
  if (!state.stale) return false;
  log(state.built ? 'The dashboard build is older than its sources: rebuilding (about a minute)…' : 'Building the dashboard once (about a minute)…');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: APP_DIR, env: { ...process.env, ...nextEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}) in ${APP_DIR}:\n${output.slice(-4000)}`)),
    );
  });
  log(`Dashboard built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return true;
}

export async function startDashboard(options: ServeOptions): Promise<DashboardServer> {
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${options.port}`;
  const env = { ...process.env, ...options.env };
  // Sign-in: the URL people open is this server's unless the deployment says otherwise (a proxy's
  // https URL); its localhost spelling is the same site. A missing secret stops here, by name.
  env.OVUS_PUBLIC_URL ||= url;
  env.OVUS_TRUSTED_ORIGINS = [env.OVUS_TRUSTED_ORIGINS, `http://localhost:${options.port}`].filter(Boolean).join(',');
  parseAuthEnv(env);
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(options.port), '--hostname', host], {
    cwd: APP_DIR,
    env: { ...env, ...nextEnv(), DATABASE_URL: options.databaseUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The dashboard server exited (code ${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The dashboard did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  options.log?.(`Dashboard: ${url}`);
  return { url, process: child, stop };
}
