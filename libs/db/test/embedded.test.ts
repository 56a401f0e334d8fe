import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedStatus, freePort, stopEmbeddedPostgres } from '../src/embedded';
import { parseDbEnv } from '../src/env';
import { resolveDatabase, type ResolvedDatabase } from '../src/resolve-database';

const run = promisify(execFile);

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
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

describe('resolveDatabase without DATABASE_URL', () => {
  let dataDir = '';
  const started: ResolvedDatabase[] = [];
  afterAll(async () => {
    for (const db of started) await db.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    // The root fallback lives outside the data folder: /var/lib/ovus/<hash>/postgres.
    for (const db of started) {
      if (db.clusterDir?.startsWith('/var/lib/ovus/')) await rm(dirname(db.clusterDir), { recursive: true, force: true });
    }
  });

  it('starts an embedded PostgreSQL in the data folder, shares it, and reuses it across runs', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ovus-embedded-'));
    await chmod(dataDir, 0o755); // mkdtemp makes it 700, which a root-run server could not enter
    const port = await freePort();
    const vars = { OVUS_DATA_DIR: join(dataDir, 'data'), OVUS_EMBEDDED_PG_PORT: String(port), DATABASE_URL: '' };
    const env = parseDbEnv(vars);

    const first = await resolveDatabase({ env });
    started.push(first);
    expect(first).toMatchObject({ embedded: true, startedHere: true });
    expect(first.url).toContain(`127.0.0.1:${port}/ovus`);
    expect(first.clusterDir).toBe(join(dataDir, 'data', 'postgres'));
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE marker (id int); INSERT INTO marker VALUES (1)');
    await client.end();

    // A second process connects to the running server instead of starting another, and its stop()
    // leaves the server running: the first still uses it.
    const child = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/resolve-in-child.ts')], {
      env: { ...process.env, ...vars },
    });
    expect(JSON.parse(child.stdout.trim())).toEqual({ embedded: true, startedHere: false, markers: 1 });
    expect(await answers(first.url)).toBe(true);

    // A user that is SIGKILLed never leaves; it is not counted once its pid is dead, and its end
    // does not stop the server under the others.
    const killed = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/resolve-in-child.ts'), 'hold'], {
      env: { ...process.env, ...vars },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const held = createInterface({ input: killed.stdout! })[Symbol.asyncIterator]();
    expect(JSON.parse((await held.next()).value as string)).toMatchObject({ startedHere: false });
    expect((await embeddedStatus(vars.OVUS_DATA_DIR)).users.sort()).toEqual([process.pid, killed.pid].sort());
    const gone = new Promise((r) => killed.once('exit', r));
    killed.kill('SIGKILL');
    await gone;
    expect(await answers(first.url)).toBe(true);
    expect((await embeddedStatus(vars.OVUS_DATA_DIR)).users).toEqual([process.pid]);

    // `ovus db stop` refuses while a live process uses it.
    expect(await stopEmbeddedPostgres(vars.OVUS_DATA_DIR)).toMatchObject({ stopped: false, users: [process.pid] });
    expect(await answers(first.url)).toBe(true);

    // The last user to leave stops it.
    await first.stop();
    expect(await answers(first.url)).toBe(false);
    expect((await embeddedStatus(vars.OVUS_DATA_DIR)).server).toBeNull();

    // The next run finds the same cluster, with its data.
    const again = await resolveDatabase({ env });
    started.push(again);
    expect(again).toMatchObject({ embedded: true, startedHere: true });
    // A server nobody uses (its last user was SIGKILLed) is stopped by `ovus db stop`.
    await again.stop();
    const orphan = await resolveDatabase({ env });
    started.push(orphan);
    const check = new pg.Client({ connectionString: orphan.url });
    await check.connect();
    const { rows } = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM marker');
    await check.end();
    expect(rows[0]?.n).toBe(1);
  });

  it('`ovus db stop` stops a server whose only user was SIGKILLed', async () => {
    const port = await freePort();
    const vars = { OVUS_DATA_DIR: join(dataDir, 'data2'), OVUS_EMBEDDED_PG_PORT: String(port), DATABASE_URL: '' };
    const killed = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/resolve-in-child.ts'), 'hold', 'fresh'], {
      env: { ...process.env, ...vars },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const held = createInterface({ input: killed.stdout! })[Symbol.asyncIterator]();
    expect(JSON.parse((await held.next()).value as string)).toMatchObject({ startedHere: true });
    const gone = new Promise((r) => killed.once('exit', r));
    killed.kill('SIGKILL');
    await gone;
    const before = await embeddedStatus(vars.OVUS_DATA_DIR);
    expect(before.server).not.toBeNull();
    expect(before.users).toEqual([]);
    expect(await stopEmbeddedPostgres(vars.OVUS_DATA_DIR)).toMatchObject({ stopped: true });
    expect((await embeddedStatus(vars.OVUS_DATA_DIR)).server).toBeNull();
  });

  // PostgreSQL will not run as root; as root its `postgres` user must be able to enter the folder.
  it('keeps the cluster where the server user can reach it when the data folder is private', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'ovus-hidden-')); // mode 700, like /root
    try {
      const env = parseDbEnv({ OVUS_DATA_DIR: join(hidden, 'data'), OVUS_EMBEDDED_PG_PORT: String(await freePort()) });
      const db = await resolveDatabase({ env });
      started.push(db);
      if (process.getuid?.() === 0) expect(db.clusterDir).toMatch(/^\/var\/lib\/ovus\/[0-9a-f]{12}\/postgres$/);
      else expect(db.clusterDir).toBe(join(hidden, 'data', 'postgres'));
      expect(await answers(db.url)).toBe(true);
      await db.stop();
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });

  it('uses DATABASE_URL when it is set, without starting anything', async () => {
    const env = parseDbEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    const db = await resolveDatabase({ env });
    expect(db).toMatchObject({ url: 'postgres://postgres@127.0.0.1:5432/postgres', embedded: false, startedHere: false, clusterDir: null });
  });
});
