// Which PostgreSQL to use: DATABASE_URL when set, else the embedded one in the user's data folder.
import pg from 'pg';
import { connect, type DbConnection } from './client';
import { dataDir, dbEnv, type DbEnv } from './env';
import { ensureEmbeddedPostgres } from './embedded';
import { applyMigrations } from './migrations';
import { withDatabase } from './database-url';

export interface ResolvedDatabase {
  url: string;
  /** True when this is the embedded server (started here or by another ovus process). */
  embedded: boolean;
  /** True when this process started the embedded server (informational: the last user stops it). */
  startedHere: boolean;
  /** The embedded cluster's folder; null for DATABASE_URL. */
  clusterDir: string | null;
  /** Leaves the embedded server, stopping it if no other live process uses it; nothing for DATABASE_URL. */
  stop(): Promise<void>;
}

/** The application database on the embedded server. */
export const EMBEDDED_DATABASE_NAME = 'ovus';

export async function resolveDatabase(options: { env?: DbEnv; onLog?: (line: string) => void } = {}): Promise<ResolvedDatabase> {
  const env = options.env ?? dbEnv();
  if (env.DATABASE_URL !== undefined) {
    return { url: env.DATABASE_URL, embedded: false, startedHere: false, clusterDir: null, stop: async () => undefined };
  }
  const server = await ensureEmbeddedPostgres({
    dataDir: dataDir(env),
    preferredPort: env.OVUS_EMBEDDED_PG_PORT,
    onLog: options.onLog,
  });
  try {
    await ensureDatabaseExists(server.serverUrl, EMBEDDED_DATABASE_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: withDatabase(server.serverUrl, EMBEDDED_DATABASE_NAME),
    embedded: true,
    startedHere: server.startedHere,
    clusterDir: server.clusterDir,
    stop: server.stop,
  };
}

async function ensureDatabaseExists(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      // Two processes may race here; the loser's "already exists" is fine.
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export interface OpenDatabase extends DbConnection {
  embedded: boolean;
  startedHere: boolean;
  clusterDir: string | null;
  /** Disconnects, then leaves the embedded server (stopped if no other live process uses it). */
  close(): Promise<void>;
}

/** resolveDatabase + applyMigrations + a pool and Prisma client: what an application needs at start-up. */
export async function openDatabase(options: { env?: DbEnv; onLog?: (line: string) => void } = {}): Promise<OpenDatabase> {
  const resolved = await resolveDatabase(options);
  try {
    await applyMigrations(resolved.url);
  } catch (error) {
    await resolved.stop();
    throw error;
  }
  const connection = connect(resolved.url);
  return {
    ...connection,
    embedded: resolved.embedded,
    startedHere: resolved.startedHere,
    clusterDir: resolved.clusterDir,
    close: async () => {
      await connection.close();
      await resolved.stop();
    },
  };
}
