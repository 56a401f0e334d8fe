// What an application opens at start-up to track runs: DATABASE_URL, or the embedded PostgreSQL
// in the user's data folder (started if needed), migrated, with the tracking store and the
// repositories bound to it. Apps may not import @ovus/db (lint), and the pool and Prisma client
// stay inside this library: an app reads and writes only through `store` and the repositories.
//
// Opening also starts replaying the journals that processes of this host left for this database
// (in the background: nothing waits for it unless it asks, see `recovery`).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { dataDir, dbEnv, openDatabase, redactUrl } from '@ovus/db';
import { bindRepositories, type TrackingRepositories } from './bound-repositories';
import { replayOrphanJournals, type JournalRecoveryReport } from './client/journal-recovery';
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
  /** Where tracking clients of this database spill: one folder per database, so a journal is never replayed into another. */
  journalDir: string;
  store: PostgresTrackingStore;
  /** The replay of orphaned journals started at open; resolves (never rejects) when it is over. */
  recovery: Promise<JournalRecoveryReport>;
  /** Stops the journal replay between two lines (the rest stays for later), disconnects, releases the embedded server. */
  close(): Promise<void>;
}

export interface OpenTrackingDatabaseOptions {
  /** Overrides DATABASE_URL from the environment. */
  databaseUrl?: string;
  onLog?: (line: string) => void;
  /** Messages of the background journal replay (default: console.warn). */
  onWarning?: (message: string) => void;
  /** false: do not replay orphaned journals at open (`ovus journal replay` does it in the foreground). */
  recoverJournals?: boolean;
}

/**
 * The journal folder of a database: the embedded server is one database whatever port it took;
 * any other is named by host, port and database (never the password).
 */
export function journalDirFor(dataFolder: string, url: string, embedded: boolean): string {
  if (embedded) return join(dataFolder, 'journal', 'embedded');
  const parsed = new URL(url);
  const identity = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  const slug = identity.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 60);
  return join(dataFolder, 'journal', `${slug}-${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`);
}

export async function openTrackingDatabase(options: OpenTrackingDatabaseOptions = {}): Promise<TrackingDatabase> {
  const env = options.databaseUrl ? { ...dbEnv(), DATABASE_URL: options.databaseUrl } : dbEnv();
  const db = await openDatabase({ env, onLog: options.onLog });
  const folder = dataDir(env);
  const journalDir = journalDirFor(folder, db.url, db.embedded);
  const store = new PostgresTrackingStore(db);
  let stopping = false;
  const warn = options.onWarning ?? ((m: string) => console.warn(`[tracking] ${m}`));
  const recovery =
    options.recoverJournals === false
      ? Promise.resolve<JournalRecoveryReport>({ replayed: [], entries: 0, remaining: [] })
      : replayOrphanJournals({ store, journalDir, onWarning: warn, onError: (e) => warn(e.message), shouldStop: () => stopping }).catch(
          (error: Error): JournalRecoveryReport => {
            warn(`replaying the journals in ${journalDir} failed: ${error.message}; run ovus journal replay`);
            return { replayed: [], entries: 0, remaining: [] };
          },
        );
  return {
    ...bindRepositories(db, store),
    url: db.url,
    displayUrl: redactUrl(db.url),
    embedded: db.embedded,
    dataDir: folder,
    journalDir,
    store,
    recovery,
    close: async () => {
      stopping = true;
      await recovery;
      await db.close();
    },
  };
}
