// Where the repository's Prisma files live, found from this file so that the CLIs and tests work
// from any working directory.
import { fileURLToPath } from 'node:url';

export const PRISMA_DIR = fileURLToPath(new URL('../../../prisma', import.meta.url));
export const SCHEMA_PATH = `${PRISMA_DIR}/schema.prisma`;
export const MIGRATIONS_DIR = `${PRISMA_DIR}/migrations`;
/** The schema as of the newest migration; the next migration is the diff from it. */
export const SNAPSHOT_FILE = 'schema.snapshot.prisma';
export const LOCKFILE = 'migration_lock.toml';
