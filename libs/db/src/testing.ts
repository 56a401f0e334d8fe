// Test support: every test file gets its own fresh database, migrated, and drops it afterwards,
// so tests never share state. Migrating through the wasm engine costs a few hundred milliseconds,
// so the first call per migrations content builds a template database once (per server) and each
// test database is a cheap `CREATE DATABASE ... TEMPLATE` copy of it — the same tables, indexes and
// _prisma_migrations rows that applyMigrations would have written.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type PrismaClient } from './client';
import { withDatabase } from './database-url';
import { dbEnv } from './env';
import { applyMigrations, readMigrationList } from './migrations';
import { MIGRATIONS_DIR } from './paths';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** The database's name (ovus_test_<random>). */
  name: string;
  /** A Prisma client connected to it. */
  prisma: PrismaClient;
  /** A pg pool on it (shared with `prisma`), for raw SQL. */
  pool: pg.Pool;
  /** Disconnects the client and drops the database, even if others are still connected. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Server to create it on; default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. */
  serverUrl?: string;
  /** Skip migrations: an empty database (for testing the migration runner itself). */
  empty?: boolean;
}

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? dbEnv().TEST_DATABASE_URL;
  const name = `ovus_test_${randomBytes(6).toString('hex')}`;
  const admin = await connectAdmin(serverUrl);
  try {
    if (options.empty) {
      await admin.query(`CREATE DATABASE ${name}`);
    } else {
      const template = await ensureTemplate(admin, serverUrl);
      await createFromTemplate(admin, name, template);
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const connection = connect(url, { maxConnections: 4 });
  let dropped = false;
  return {
    url,
    name,
    prisma: connection.prisma,
    pool: connection.pool,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await connection.close();
      const client = await connectAdmin(serverUrl);
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function connectAdmin(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the test PostgreSQL at ${url} (${(error as Error).message}). Start it, or set TEST_DATABASE_URL to a server where tests may create databases.`,
      { cause: error },
    );
  }
  return client;
}

async function migrationsFingerprint(): Promise<string> {
  const list = await readMigrationList(MIGRATIONS_DIR);
  const hash = createHash('sha256');
  for (const dir of list.migrationDirectories) {
    hash.update(dir.path);
    hash.update(await readFile(join(MIGRATIONS_DIR, dir.path, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 16);
}

// Arbitrary, fixed key for pg_advisory_lock: serialises template building across test processes.
const TEMPLATE_LOCK_KEY = 0x6f767573;

async function ensureTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const template = `ovus_template_${await migrationsFingerprint()}`;
  if (await templateReady(admin, template)) return template;
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
  try {
    if (await templateReady(admin, template)) return template;
    // A half-built template from a crashed run is rebuilt from scratch.
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
    await applyMigrations(withDatabase(serverUrl, template));
    // Marked only once complete, so a reader never copies a partial template.
    await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    return template;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
  }
}

async function templateReady(admin: pg.Client, template: string): Promise<boolean> {
  const result = await admin.query<{ ready: boolean }>(
    'SELECT datistemplate AS ready FROM pg_database WHERE datname = $1',
    [template],
  );
  return result.rows[0]?.ready === true;
}

async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  // Copying needs the template to have no sessions; a concurrent copy can briefly hold one.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (error) {
      const busy = /being accessed by other users/.test((error as Error).message);
      if (!busy || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
