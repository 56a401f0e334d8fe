import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/migrations';
import { createNextMigration } from '../src/schema-diff';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const HEADER = 'datasource db {\n  provider = "postgresql"\n}\n';
const V1 = `${HEADER}\nmodel Note {\n  id   Int    @id\n  text String\n  @@map("note")\n}\n`;
const V2 = `${HEADER}\nmodel Note {\n  id     Int     @id\n  text   String\n  author String?\n  @@map("note")\n}\n`;

describe('createNextMigration', () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ovus-migrations-'));
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the initial migration, then only the change, and nothing when unchanged', async () => {
    const migrationsDir = join(dir, 'migrations');
    const schemaPath = join(dir, 'schema.prisma');
    const common = { databaseUrl: db.url, migrationsDir, schemaPath };

    await writeFile(schemaPath, V1);
    const first = await createNextMigration({ ...common, name: 'init', now: new Date('2030-01-01T00:00:00Z') });
    expect(first.written && first.name).toBe('20300101000000_init');
    expect(first.written && first.sql).toContain('CREATE TABLE "note"');

    const unchanged = await createNextMigration({ ...common, name: 'noop', now: new Date('2030-01-02T00:00:00Z') });
    expect(unchanged.written).toBe(false);

    await writeFile(schemaPath, V2);
    const second = await createNextMigration({ ...common, name: 'add_author', now: new Date('2030-01-03T00:00:00Z') });
    expect(second.written && second.sql).toMatch(/ALTER TABLE "note" ADD COLUMN\s+"author" TEXT/);
    expect(second.written && second.sql).not.toContain('CREATE TABLE');

    expect((await readdir(migrationsDir)).sort()).toEqual([
      '20300101000000_init',
      '20300103000000_add_author',
      'migration_lock.toml',
      'schema.snapshot.prisma',
    ]);
    expect(await readFile(join(migrationsDir, 'schema.snapshot.prisma'), 'utf8')).toContain('author String?');

    const applied = await applyMigrations(db.url, { migrationsDir });
    expect(applied.applied).toEqual(['20300101000000_init', '20300103000000_add_author']);
    await db.pool.query("INSERT INTO note (id, text, author) VALUES (1, 'hello', 'me')");
    expect((await applyMigrations(db.url, { migrationsDir })).applied).toEqual([]);
  });

  it('refuses a snapshot that belongs to another migration', async () => {
    const migrationsDir = join(dir, 'tampered');
    const schemaPath = join(dir, 'schema-t.prisma');
    await writeFile(schemaPath, V1);
    await createNextMigration({ databaseUrl: db.url, migrationsDir, schemaPath, name: 'init', now: new Date('2030-01-01T00:00:00Z') });
    const snapshotPath = join(migrationsDir, 'schema.snapshot.prisma');
    const text = await readFile(snapshotPath, 'utf8');
    await writeFile(snapshotPath, text.replace('20300101000000_init', '20290101000000_other'));
    await writeFile(schemaPath, V2);
    await expect(
      createNextMigration({ databaseUrl: db.url, migrationsDir, schemaPath, name: 'next', now: new Date('2030-02-01T00:00:00Z') }),
    ).rejects.toThrow(/written for another migration than the newest, 20300101000000_init/);
  });

  it('rejects a name that is not snake_case', async () => {
    await expect(
      createNextMigration({ databaseUrl: db.url, migrationsDir: join(dir, 'x'), schemaPath: join(dir, 'schema.prisma'), name: 'Add Notes' }),
    ).rejects.toThrow(/Migration name 'Add Notes' is not allowed/);
  });
});
