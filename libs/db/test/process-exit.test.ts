// A process that opens the database (which applies migrations through the wasm schema engine) and
// closes it must be free to exit: nothing it started may keep Node's event loop alive.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/migrations';
import { pendingEngineTimers } from '../src/schema-engine';
import { createTestDatabase, type TestDatabase } from '../src/testing';

interface Exit {
  code: number | null;
  output: string;
}

/** Runs the script to its end. No time limit of its own: the fixture says what keeps it alive. */
function runUntilExit(script: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    // Something still holds the event loop (the engine's leftover timer was a 10 s Timeout): say
    // what at once, instead of waiting to see whether the process ends.
    const report = /^\{.*"alive":\[(.+)\]\}$/m.exec(output);
    if (report) child.kill('SIGKILL');
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
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
    const report = JSON.parse(exit.output.trim()) as { migrations: number; alive: string[] };
    expect(report.alive, 'what keeps the process alive after close').toEqual([]);
    expect(exit.code).toBe(0);
    expect(report.migrations).toBeGreaterThan(0);
  });

  it('applyMigrations leaves no engine timer running', async () => {
    await applyMigrations(db.url);
    expect(pendingEngineTimers()).toBe(0);
  });
});
