// One process trains a run at a time: the claim a `train --resume` / `rerun --here` makes first.
import { execFileSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureProject } from '../src/repositories/projects';
import { claimRunForAttempt } from '../src/repositories/run-claim';
import { createRun } from '../src/repositories/runs';
import { recordHeartbeat, setRunStatus } from '../src/repositories/run-status';
import { runInput } from './store-contract';

let db: TestDatabase;
let projectId: string;
const T0 = Date.UTC(2026, 0, 1);
const LIVE = 90_000;

beforeAll(async () => {
  db = await createTestDatabase();
  projectId = (await ensureProject(db.prisma, 'claims')).id;
});
afterAll(async () => {
  await db.drop();
});

async function runningRun(host: string, pid: number, heartbeatAt: number): Promise<string> {
  const { run } = await createRun(db.prisma, runInput(projectId));
  expect(await claimRunForAttempt(db.pool, run.id, { host, pid, liveWithinMs: LIVE, now: heartbeatAt })).toEqual({ claimed: true });
  await setRunStatus(db.pool, run.id, 'running', { at: heartbeatAt });
  await recordHeartbeat(db.pool, run.id, heartbeatAt);
  return run.id;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
}

describe('claimRunForAttempt', () => {
  it('refuses a run another process on another host was heard from recently, naming it', async () => {
    const runId = await runningRun('gpu-3', 4242, T0);
    expect(await claimRunForAttempt(db.pool, runId, { host: 'laptop', pid: process.pid, liveWithinMs: LIVE, now: T0 + 10_000 })).toEqual({
      claimed: false,
      holder: { host: 'gpu-3', pid: 4242, heartbeatAt: T0 },
    });
    // Silent for longer than liveWithinMs: the holder is presumed gone.
    expect(await claimRunForAttempt(db.pool, runId, { host: 'laptop', pid: process.pid, liveWithinMs: LIVE, now: T0 + LIVE + 1 })).toEqual({ claimed: true });
  });

  it('takes over at once from a process of this host whose pid is dead (a SIGKILLed train)', async () => {
    const runId = await runningRun('here', deadPid(), T0);
    expect(await claimRunForAttempt(db.pool, runId, { host: 'here', pid: process.pid, liveWithinMs: LIVE, now: T0 + 1000 })).toEqual({ claimed: true });
    // ... but not from a live one.
    const held = await runningRun('here', process.ppid, T0);
    expect(await claimRunForAttempt(db.pool, held, { host: 'here', pid: process.pid, liveWithinMs: LIVE, now: T0 + 1000 })).toMatchObject({ claimed: false });
  });

  it('lets exactly one of two simultaneous claims win', async () => {
    const { run } = await createRun(db.prisma, runInput(projectId));
    await setRunStatus(db.pool, run.id, 'killed', { at: T0 });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((host, i) => claimRunForAttempt(db.pool, run.id, { host, pid: 1000 + i, liveWithinMs: LIVE, now: T0 + 1000 })),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
  });
});
