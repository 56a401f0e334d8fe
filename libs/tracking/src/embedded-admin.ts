// `ovus db status` / `ovus db stop` for the embedded PostgreSQL, and `ovus journal …` without
// opening a database: what an app may ask of the data folder (it may not import @ovus/db).
import { dataDir, dbEnv, embeddedStatus, stopEmbeddedPostgres, type EmbeddedStatus } from '@ovus/db';

export type { EmbeddedStatus };

/** The data folder the CLI uses (OVUS_DATA_DIR, else $XDG_DATA_HOME/ovus, else ~/.local/share/ovus). */
export function userDataDir(): string {
  return dataDir(dbEnv());
}

export function embeddedDatabaseStatus(folder = userDataDir()): Promise<EmbeddedStatus> {
  return embeddedStatus(folder);
}

/** Stops the embedded server unless live ovus processes use it (`force`: even then). */
export function stopEmbeddedDatabase(folder = userDataDir(), options: { force?: boolean } = {}): Promise<EmbeddedStatus & { stopped: boolean }> {
  return stopEmbeddedPostgres(folder, options);
}
