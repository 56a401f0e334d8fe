// A process that opens the database (which applies migrations through the wasm schema engine) and
// closes it must be free to exit: nothing it started may keep Node's event loop alive.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/migrations';
import { pendingEngineTimers } from '../src/schema-engine';
import { createTestDatabase, type TestDatabase } from '../src/testing';

// The engine's leftover timer ran 10 s; a process that is still alive after this long kept one.
const KILL_AFTER_MS = 8000;

interface Exit {
  code: number | null;
  killedByUs: boolean;
  output: string;
}

function runUntilExit(script: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let killedByUs = false;
  const killer = setTimeout(() => {
    killedByUs = true;
    child.kill('SIGKILL');
  }, KILL_AFTER_MS);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, killedByUs, output });
    });
  });
}

describe('after the database is closed', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('a process that opened, migrated and closed it exits by itself', async () => {
    const exit = await runUntilExit(join(import.meta.dirname, 'fixtures/open-migrate-close.ts'), { ...process.env, DATABASE_URL: db.url });
    expect(exit).toMatchObject({ killedByUs: false, code: 0 });
    expect(JSON.parse(exit.output.trim())).toEqual({ migrations: expect.any(Number) });
    expect(JSON.parse(exit.output.trim()).migrations).toBeGreaterThan(0);
  });

  it('applyMigrations leaves no engine timer running', async () => {
    await applyMigrations(db.url);
    expect(pendingEngineTimers()).toBe(0);
  });
});
