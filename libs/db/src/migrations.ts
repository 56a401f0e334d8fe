// Applies the committed SQL migrations (prisma/migrations/<name>/migration.sql) with Prisma's
// WebAssembly schema engine, which records each in _prisma_migrations exactly as `prisma migrate
// deploy` would; applying again finds nothing new and does nothing.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationDirectory, MigrationList } from '@prisma/schema-engine-wasm';
import { LOCKFILE, MIGRATIONS_DIR } from './paths';
import { lastEnginePanic, NO_FILTER, openSchemaEngine } from './schema-engine';

/** Reads the migrations folder into the form the engine takes; folders sort by their timestamp. */
export async function readMigrationList(migrationsDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new Error(`No migrations folder at ${migrationsDir}. Create the first migration with \`npm run db:new-migration -- init\`.`);
    }
    throw error;
  });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories: MigrationDirectory[] = await Promise.all(
    names.map(async (name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (error: Error) => ({ tag: 'error' as const, value: `${file}: ${error.message}` }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockContent = await readFile(join(migrationsDir, LOCKFILE), 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

export interface ApplyMigrationsResult {
  /** Names of the migrations this call applied; empty when the database was up to date. */
  applied: string[];
}

/** Brings the database at `url` up to the newest committed migration. Safe to run again. */
export async function applyMigrations(
  url: string,
  options: { migrationsDir?: string } = {},
): Promise<ApplyMigrationsResult> {
  const migrationsList = await readMigrationList(options.migrationsDir);
  const opened = await openSchemaEngine(url);
  try {
    const out = await opened.engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return { applied: out.appliedMigrationNames };
  } catch (error) {
    const failed = /The `([^`]+)` migration started at .* failed/.exec(describe(error))?.[1];
    const hint = failed
      ? `\nFix ${failed}/migration.sql (or the database), then run \`npm run db:migrate -- --rolled-back ${failed}\` and migrate again.`
      : '';
    throw new Error(`Applying migrations from ${migrationsList.baseDir} to ${redactUrl(url)} failed: ${describe(error)}${hint}`, {
      cause: error,
    });
  } finally {
    await opened.close();
  }
}

/**
 * Records a failed migration as rolled back, so that the next applyMigrations tries it again
 * (what `prisma migrate resolve --rolled-back` does). Use it after fixing the migration's SQL.
 */
export async function markMigrationRolledBack(url: string, migrationName: string): Promise<void> {
  const opened = await openSchemaEngine(url);
  try {
    await opened.engine.markMigrationRolledBack({ migrationName });
  } catch (error) {
    throw new Error(`Marking ${migrationName} as rolled back in ${redactUrl(url)} failed: ${describe(error)}`, { cause: error });
  } finally {
    await opened.close();
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

export function describe(error: unknown): string {
  // A Rust panic surfaces as a bare "unreachable"; its real message comes through a global.
  const panic = lastEnginePanic();
  if (panic && error instanceof WebAssembly.RuntimeError) return `the schema engine crashed: ${panic}`;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}
