import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDbEnv } from '../src/env';
import { createTestDatabase, type TestDatabase } from '../src/testing';

describe('createTestDatabase', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(made.map((db) => db.drop()));
  });

  it('gives each caller its own migrated database', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    made.push(a, b);
    expect(a.name).not.toBe(b.name);
    const project = await a.prisma.project.create({ data: { name: 'only-in-a' } });
    expect(await a.prisma.project.findUnique({ where: { id: project.id } })).not.toBeNull();
    expect(await b.prisma.project.count()).toBe(0);
    const applied = await a.prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations`;
    expect(applied.length).toBeGreaterThan(0);
  });

  it('drop() removes the database', async () => {
    const db = await createTestDatabase();
    await db.drop();
    const admin = new pg.Client({ connectionString: parseDbEnv().TEST_DATABASE_URL });
    await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(found.rowCount).toBe(0);
  });
});
