import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/embedded';
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
    // leaves the server running.
    const child = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/resolve-in-child.ts')], {
      env: { ...process.env, ...vars },
    });
    expect(JSON.parse(child.stdout.trim())).toEqual({ embedded: true, startedHere: false, markers: 1 });
    expect(await answers(first.url)).toBe(true);

    // Only the starter stops it.
    await first.stop();
    expect(await answers(first.url)).toBe(false);

    // The next run finds the same cluster, with its data.
    const again = await resolveDatabase({ env });
    started.push(again);
    expect(again).toMatchObject({ embedded: true, startedHere: true });
    const check = new pg.Client({ connectionString: again.url });
    await check.connect();
    const { rows } = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM marker');
    await check.end();
    expect(rows[0]?.n).toBe(1);
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
