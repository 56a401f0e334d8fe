// What an application opens at start-up to track runs: DATABASE_URL, or the embedded PostgreSQL
// in the user's data folder (started if needed), migrated, with a pool, a Prisma client and the
// PostgreSQL tracking store over them. Apps may not import @ovus/db (lint); this is their door.
import { dataDir, dbEnv, openDatabase, redactUrl, type DbConnection } from '@ovus/db';
import { PostgresTrackingStore } from './store/postgres-store';

export interface TrackingDatabase extends DbConnection {
  /** The URL without its password, for messages. */
  displayUrl: string;
  /** True for the embedded server (no DATABASE_URL). */
  embedded: boolean;
  /** The user's data folder (OVUS_DATA_DIR, else ~/.local/share/ovus): journal, embedded server. */
  dataDir: string;
  store: PostgresTrackingStore;
  /** Disconnects, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

export interface OpenTrackingDatabaseOptions {
  /** Overrides DATABASE_URL from the environment. */
  databaseUrl?: string;
  onLog?: (line: string) => void;
}

export async function openTrackingDatabase(options: OpenTrackingDatabaseOptions = {}): Promise<TrackingDatabase> {
  const env = options.databaseUrl ? { ...dbEnv(), DATABASE_URL: options.databaseUrl } : dbEnv();
  const db = await openDatabase({ env, onLog: options.onLog });
  return {
    ...db,
    displayUrl: redactUrl(db.url),
    embedded: db.embedded,
    dataDir: dataDir(env),
    store: new PostgresTrackingStore(db),
    close: db.close,
  };
}
