// Makes the next migration: the SQL that takes the schema as of the newest migration (a committed
// snapshot) to the current prisma/schema.prisma. `prisma migrate dev` would need the native engine
// and a shadow database; diffing two schema files needs neither. The wasm engine still insists on
// connecting to some database when it starts, so one is passed in; it is neither read nor changed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMigrationList } from './migrations';
import { LOCKFILE, MIGRATIONS_DIR, SCHEMA_PATH, SNAPSHOT_FILE } from './paths';
import { NO_FILTER, openSchemaEngine } from './schema-engine';

const LOCK_TEXT = '# Written by npm run db:new-migration; keep it under version control.\nprovider = "postgresql"\n';
const SNAPSHOT_HEADER = '// Snapshot of prisma/schema.prisma as of migration ';

export interface NewMigrationOptions {
  name: string;
  /** Any reachable PostgreSQL; the engine connects to it but diffing does not use it. */
  databaseUrl: string;
  schemaPath?: string;
  migrationsDir?: string;
  /** Write a migration even when the schema did not change (for hand-written SQL). */
  allowEmpty?: boolean;
  now?: Date;
}

export type NewMigrationResult =
  | { written: true; name: string; path: string; sql: string }
  | { written: false; reason: string };

/** SQL from `fromSchema` (null = empty database) to `toSchema`; '' when they are the same. */
export async function diffSchemas(databaseUrl: string, fromSchema: string | null, toSchema: string): Promise<string> {
  const opened = await openSchemaEngine(databaseUrl);
  try {
    const result = await opened.engine.diff({
      from: fromSchema === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: fromSchema }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: toSchema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    // exitCode 2 = a non-empty diff; 0 = nothing to do (stdout then holds only a comment).
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await opened.close();
  }
}

export async function createNextMigration(options: NewMigrationOptions): Promise<NewMigrationResult> {
  if (!/^[a-z0-9_]{1,60}$/.test(options.name)) {
    throw new Error(
      `Migration name '${options.name}' is not allowed: use 1-60 lower-case letters, digits and underscores (e.g. add_run_notes).`,
    );
  }
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const schemaPath = options.schemaPath ?? SCHEMA_PATH;
  const schema = await readFile(schemaPath, 'utf8');
  const list = await readMigrationList(migrationsDir).catch(() => null);
  const existing = list?.migrationDirectories.map((d) => d.path) ?? [];
  const last = existing.at(-1) ?? null;
  const snapshot = await readSnapshot(migrationsDir, last);

  const sql = await diffSchemas(options.databaseUrl, snapshot, schema);
  if (sql.trim() === '' && !options.allowEmpty) {
    return { written: false, reason: `No schema changes since ${last ?? 'an empty database'}; nothing written.` };
  }
  const name = `${timestamp(options.now ?? new Date())}_${options.name}`;
  if (last !== null && name <= last) {
    throw new Error(`New migration ${name} would not sort after the newest one, ${last}. Check the system clock.`);
  }
  const dir = join(migrationsDir, name);
  await mkdir(dir, { recursive: true });
  const body = sql.trim() === '' ? '-- Hand-written migration: add SQL here.\n' : sql;
  await writeFile(join(dir, 'migration.sql'), body);
  await writeFile(join(migrationsDir, LOCKFILE), LOCK_TEXT);
  await writeFile(join(migrationsDir, SNAPSHOT_FILE), `${SNAPSHOT_HEADER}${name}; written by db:new-migration, do not edit.\n${schema}`);
  return { written: true, name, path: join(dir, 'migration.sql'), sql: body };
}

/** The schema as of `last`, checking that the snapshot belongs to it. */
async function readSnapshot(migrationsDir: string, last: string | null): Promise<string | null> {
  const text = await readFile(join(migrationsDir, SNAPSHOT_FILE), 'utf8').catch(() => null);
  if (last === null) return null;
  if (text === null) {
    throw new Error(
      `${join(migrationsDir, SNAPSHOT_FILE)} is missing, so the schema as of ${last} is unknown. Restore it from git.`,
    );
  }
  const firstLine = text.slice(0, text.indexOf('\n'));
  if (!firstLine.startsWith(`${SNAPSHOT_HEADER}${last};`)) {
    throw new Error(
      `${SNAPSHOT_FILE} was written for another migration than the newest, ${last} (its first line: "${firstLine}"). ` +
        'Migrations were added or removed by hand: restore the snapshot that matches them from git.',
    );
  }
  return text.slice(firstLine.length + 1);
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}
