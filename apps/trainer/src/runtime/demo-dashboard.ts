// The end of `ovus demo`: serve the dashboard on the demo's database, say which pages show what
// the demo made, and stay until Ctrl-C. The dashboard is another app (apps/dashboard), so it runs
// as a child process (its own `npm run dashboard` entry point) rather than being imported; the
// demo keeps owning the database and stops it after the dashboard has exited.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli/errors';

const SERVE_MAIN = fileURLToPath(new URL('../../../dashboard/src/serve/main.ts', import.meta.url));

export interface ServeDashboardOptions {
  databaseUrl: string;
  port: string;
  sweepId: string;
  runIds: readonly string[];
  datasetVersionId: string;
  /** Extra environment for the dashboard (sign-in: OVUS_AUTH_SECRET, OVUS_PUBLIC_URL). */
  env?: Record<string, string>;
  out: (text: string) => void;
}

export function demoPages(base: string, options: Pick<ServeDashboardOptions, 'sweepId' | 'runIds' | 'datasetVersionId'>): string[] {
  const compare = options.runIds.slice(0, 3).join(',');
  return [
    `  Projects and sweeps     ${base}/`,
    `  Backbone table (Table 2) ${base}/sweeps/${options.sweepId}`,
    `  Runs of the sweep        ${base}/runs?sweep=${options.sweepId}`,
    `  A run                    ${base}/runs/${options.runIds[0]}`,
    `  Per-task results (T. 3)  ${base}/results?run=${options.runIds[0]}`,
    `  Compare three runs       ${base}/compare?runs=${compare}`,
    `  The dataset              ${base}/datasets/${options.datasetVersionId}`,
  ];
}

/** Resolves when the dashboard has stopped (Ctrl-C, or SIGTERM to the demo). */
export async function serveDashboard(options: ServeDashboardOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new CliError(`--port must be a TCP port (1–65535), got '${options.port}'.`);
  options.out('\nStarting the dashboard (production build; built once, rebuilt only when its sources change)…\n');
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE_MAIN, '--port', String(port)], {
    env: { ...process.env, ...options.env, DATABASE_URL: options.databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = false;
  let errors = '';
  child.stdout?.on('data', (data: Buffer) => {
    const text = data.toString();
    const match = /Dashboard: (\S+)/.exec(text);
    if (match && !printed) {
      printed = true;
      options.out(`\nThe dashboard is at ${match[1]} — pages to look at:\n${demoPages(match[1], options).join('\n')}\nPress Ctrl-C to stop the dashboard and the database.\n`);
    } else if (!/^(Database:|Press Ctrl-C)/m.test(text)) {
      options.out(text);
    }
  });
  child.stderr?.on('data', (data: Buffer) => (errors = (errors + data.toString()).slice(-8000)));
  // Ctrl-C reaches the child too (same process group); SIGTERM to the demo alone is forwarded.
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0 && code !== null) throw new CliError(`The dashboard stopped with exit code ${code}:\n${errors.trim()}`);
    options.out('Dashboard stopped.\n');
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
