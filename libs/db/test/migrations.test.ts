import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, markMigrationRolledBack } from '../src/migrations';
import { MIGRATIONS_DIR, SCHEMA_PATH, SNAPSHOT_FILE } from '../src/paths';
import { diffSchemas } from '../src/schema-diff';
import { createTestDatabase, type TestDatabase } from '../src/testing';

describe('committed migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('apply to an empty database, and applying again is a no-op', async () => {
    const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(folders.length).toBeGreaterThan(0);

    const first = await applyMigrations(db.url);
    expect(first.applied).toEqual(folders);
    const tables = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['run', 'metric', 'latest_metric', '_prisma_migrations']));

    const before = await db.pool.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY 1');
    const second = await applyMigrations(db.url);
    expect(second.applied).toEqual([]);
    const after = await db.pool.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY 1');
    expect(after.rows).toEqual(before.rows);
  });

  it('cover every change in prisma/schema.prisma (else run npm run db:new-migration)', async () => {
    const schema = await readFile(SCHEMA_PATH, 'utf8');
    const snapshot = await readFile(join(MIGRATIONS_DIR, SNAPSHOT_FILE), 'utf8');
    const asOfLastMigration = snapshot.slice(snapshot.indexOf('\n') + 1);
    expect(await diffSchemas(db.url, asOfLastMigration, schema)).toBe('');
  });

  // Prisma 7.10 *writes* ±Infinity as NaN (its parameters pass through JSON), so libs/tracking writes
  // floats with pg; reading them through Prisma is faithful, which the dashboard relies on.
  it('store NaN and ±Infinity written with pg, and Prisma reads them back', async () => {
    const project = await db.prisma.project.create({ data: { name: 'nan-check' } });
    const run = await db.prisma.run.create({
      data: { projectId: project.id, name: 'r', backbone: 'b', tasks: ['malignancy'], imageSize: 64, seed: 1, config: {} },
    });
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    await db.pool.query(
      `INSERT INTO metric (run_id, key, step, value, timestamp)
       SELECT $1, 'loss', s, v, now() FROM unnest($2::int[], $3::float8[]) AS t(s, v)`,
      [run.id, [0, 1, 2], values],
    );
    const read = await db.prisma.metric.findMany({ where: { runId: run.id }, orderBy: { step: 'asc' } });
    expect(read.map((m) => m.value)).toEqual(values);
  });

  it('move stored artifact bytes into parts without losing any (artifact_blob_parts)', async () => {
    const scratch = await createTestDatabase({ empty: true });
    const dir = await mkdtemp(join(tmpdir(), 'ovus-before-parts-'));
    try {
      // The database as it was before the parts: every migration older than artifact_blob_parts.
      const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      const partsMigration = folders.find((f) => f.endsWith('_artifact_blob_parts')) as string;
      for (const folder of folders.filter((f) => f < partsMigration)) {
        await mkdir(join(dir, folder));
        await writeFile(join(dir, folder, 'migration.sql'), await readFile(join(MIGRATIONS_DIR, folder, 'migration.sql')));
      }
      await applyMigrations(scratch.url, { migrationsDir: dir });
      const blobs = [Buffer.from('a checkpoint'), Buffer.alloc(0), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))];
      for (const [i, data] of blobs.entries()) {
        await scratch.pool.query('INSERT INTO artifact_blob (sha256, data) VALUES ($1, $2)', [String(i).repeat(64), data]);
      }

      expect((await applyMigrations(scratch.url)).applied).toContain(partsMigration);
      const { rows } = await scratch.pool.query<{ sha256: string; bytes: string; data: Buffer }>(
        'SELECT b.sha256, b.bytes, p.data FROM artifact_blob b JOIN artifact_blob_part p ON p.sha256 = b.sha256 AND p.part = 0 ORDER BY b.sha256',
      );
      expect(rows.map((r) => [Number(r.bytes), r.data])).toEqual(blobs.map((data) => [data.length, data]));
    } finally {
      await scratch.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a failed migration, and applies it once fixed and marked rolled back', async () => {
    const scratch = await createTestDatabase({ empty: true });
    const dir = await mkdtemp(join(tmpdir(), 'ovus-failing-'));
    try {
      const name = '20300101000000_broken';
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'migration.sql'), 'CREATE TABLE first (id int);\nCREATE TABL second (id int);\n');
      await expect(applyMigrations(scratch.url, { migrationsDir: dir })).rejects.toThrow(/syntax error at or near "TABL"[\s\S]*20300101000000_broken/);
      await expect(applyMigrations(scratch.url, { migrationsDir: dir })).rejects.toThrow(/--rolled-back 20300101000000_broken/);

      // As with `prisma migrate`, statements before the failing one stay applied: undo them by hand.
      await scratch.pool.query('DROP TABLE first');
      await writeFile(join(dir, name, 'migration.sql'), 'CREATE TABLE first (id int);\nCREATE TABLE second (id int);\n');
      await markMigrationRolledBack(scratch.url, name);
      expect((await applyMigrations(scratch.url, { migrationsDir: dir })).applied).toEqual([name]);
      await scratch.pool.query('SELECT * FROM first, second');
    } finally {
      await scratch.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
