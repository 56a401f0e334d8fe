// Real worker processes (through tsx) sharing one queue in a real PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobQueue, type JobQueue } from '../src';
import { createScratchDatabase, FAST_QUEUE, waitFor, type ScratchDatabase } from './database';

const workerScript = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));

interface LogRow {
  run_id: string;
  pid: number;
  attempt: number;
  event: 'start' | 'end';
}

let db: ScratchDatabase;
let queue: JobQueue;
const children: ChildProcess[] = [];

beforeEach(async () => {
  db = await createScratchDatabase();
  await db.query('CREATE TABLE job_log (run_id uuid, pid int, attempt int, event text, at timestamptz DEFAULT clock_timestamp())');
  queue = await createJobQueue(db.url, FAST_QUEUE);
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  await queue.stop();
  await db.drop();
});

async function startWorker(jobMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env: { ...process.env, DATABASE_URL: db.url, JOB_MS: String(jobMs), QUEUE_OPTIONS: JSON.stringify(FAST_QUEUE) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${stderr}`)));
  });
  return child;
}

const logRows = () => db.query<LogRow>('SELECT run_id, pid, attempt, event FROM job_log ORDER BY at');

describe('worker processes', () => {
  it('share the jobs between them and run each job exactly once', async () => {
    const [a, b] = await Promise.all([startWorker(400), startWorker(400)]);
    const runIds = Array.from({ length: 8 }, () => randomUUID());
    await queue.enqueueRunJobs(randomUUID(), runIds);

    await waitFor('all jobs to complete', async () => (await queue.pendingCount()) === 0);
    const rows = await logRows();

    const ends = rows.filter((r) => r.event === 'end');
    expect(ends.map((r) => r.run_id).sort()).toEqual([...runIds].sort());
    expect(rows.filter((r) => r.event === 'start')).toHaveLength(8);
    const perWorker = new Set(ends.map((r) => r.pid));
    expect(perWorker).toEqual(new Set([a.pid, b.pid]));
    for (const runId of runIds) expect((await queue.getRunJob(runId))?.state).toBe('completed');
  });

  it("hands a SIGKILLed worker's job to another worker within about one lease", async () => {
    const doomed = await startWorker(60_000);
    const runId = randomUUID();
    await queue.enqueueRunJobs(null, [runId]);
    await waitFor('the job to start', async () => (await logRows()).some((r) => r.event === 'start'));

    doomed.kill('SIGKILL');
    await once(doomed, 'exit');
    const rescuer = await startWorker(200);

    // The bound: lease (2 s) + maintenance interval (1 s) + polling (0.5 s), well inside waitFor's limit.
    const status = await waitFor(
      'the job to complete',
      async () => {
        const s = await queue.getRunJob(runId);
        return s?.state === 'completed' ? s : null;
      },
      20_000,
    );
    const rows = await logRows();

    expect(rows).toEqual([
      { run_id: runId, pid: doomed.pid, attempt: 1, event: 'start' },
      { run_id: runId, pid: rescuer.pid, attempt: 2, event: 'start' },
      { run_id: runId, pid: rescuer.pid, attempt: 2, event: 'end' },
    ]);
    expect(status.attempt).toBe(2);
    expect(status.output).toMatchObject({ pid: rescuer.pid });
  });
});
