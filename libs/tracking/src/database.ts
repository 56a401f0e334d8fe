// What an application opens at start-up to track runs: DATABASE_URL, or the embedded PostgreSQL
// in the user's data folder (started if needed), migrated, with the tracking store and the
// repositories bound to it. Apps may not import @ovus/db (lint), and the pool and Prisma client
// stay inside this library: an app reads and writes only through `store` and the repositories.
import { dataDir, dbEnv, openDatabase, redactUrl } from '@ovus/db';
import { bindRepositories, type TrackingRepositories } from './bound-repositories';
import { PostgresTrackingStore } from './store/postgres-store';

export interface TrackingDatabase extends TrackingRepositories {
  /** The connection URL (for libraries that open their own connections, e.g. the job queue). */
  url: string;
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
  const store = new PostgresTrackingStore(db);
  return {
    ...bindRepositories(db, store),
    url: db.url,
    displayUrl: redactUrl(db.url),
    embedded: db.embedded,
    dataDir: dataDir(env),
    store,
    close: db.close,
  };
}
