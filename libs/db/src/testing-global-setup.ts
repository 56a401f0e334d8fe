// Vitest global setup shared by every project (see vitest.shared.ts): makes sure the tests have a
// PostgreSQL server to create their databases on. TEST_DATABASE_URL wins; otherwise the machine's
// server at the default address is used when it answers; otherwise an embedded PostgreSQL from npm
// is started in a test folder of the data directory, so `npm test` works on a machine with no
// PostgreSQL installed at all. Child processes (vitest's forks, the workers tests spawn) inherit
// the chosen URL through the environment.
import { join } from 'node:path';
import pg from 'pg';
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { dataDir, parseDbEnv } from './env';

const EMBEDDED_TEST_PORT = 54339;

let embedded: EmbeddedDatabase | undefined;

export async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const env = parseDbEnv();
  if (await answers(env.TEST_DATABASE_URL)) return;
  embedded = await ensureEmbeddedPostgres({ dataDir: join(dataDir(env), 'test'), preferredPort: EMBEDDED_TEST_PORT });
  process.env.TEST_DATABASE_URL = embedded.serverUrl;
  console.log(`No PostgreSQL at ${env.TEST_DATABASE_URL}: tests use an embedded one (${embedded.clusterDir}).`);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
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
