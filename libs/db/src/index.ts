export { connect, createPool, createPrismaClient, PrismaClient, type DbConnection, type PoolOptions } from './client';
export type * from './generated/client';
export { Prisma } from './generated/client';
export * from './generated/enums';
export { withDatabase } from './database-url';
export { dataDir, dbEnv, InvalidEnvironmentError, parseDbEnv, type DbEnv } from './env';
export { embeddedStatus, ensureEmbeddedPostgres, freePort, stopEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedStatus } from './embedded';
export { applyMigrations, markMigrationRolledBack, readMigrationList, redactUrl, type ApplyMigrationsResult } from './migrations';
export {
  EMBEDDED_DATABASE_NAME,
  openDatabase,
  resolveDatabase,
  type OpenDatabase,
  type ResolvedDatabase,
} from './resolve-database';
export { createNextMigration, diffSchemas, type NewMigrationOptions, type NewMigrationResult } from './schema-diff';
