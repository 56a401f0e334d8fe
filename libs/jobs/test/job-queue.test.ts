import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobQueue, LeaseLostError, WorkerStoppingError, type JobQueue, type WorkerEvent } from '../src';
import { createScratchDatabase, FAST_QUEUE, waitFor, type ScratchDatabase } from './database';

let db: ScratchDatabase;
let queue: JobQueue;

beforeEach(async () => {
  db = await createScratchDatabase();
  queue = await createJobQueue(db.url, { ...FAST_QUEUE, retryLimit: 1 });
});

afterEach(async () => {
  await queue.stop();
  await db.drop();
});

describe('enqueueRunJobs', () => {
  it('queues each run once, even when the sweep is submitted twice', async () => {
    const sweepId = randomUUID();
    const runIds = [randomUUID(), randomUUID(), randomUUID()];

    const first = await queue.enqueueRunJobs(sweepId, runIds);
    const again = await queue.enqueueRunJobs(sweepId, [...runIds, randomUUID()]);

    expect(first).toEqual({ queued: runIds, alreadyKnown: [] });
    expect(again.alreadyKnown).toEqual(runIds);
    expect(again.queued).toHaveLength(1);
    expect(await queue.pendingCount()).toBe(4);
    const status = await queue.getRunJob(runIds[0]);
    expect(status).toMatchObject({ runId: runIds[0], sweepId, state: 'created', attempt: 1, retryLimit: 1 });
  });

  it('refuses run ids that are not UUIDs and names them', async () => {
    await expect(queue.enqueueRunJobs(null, ['run-1', randomUUID()])).rejects.toThrow(/must be UUIDs.*'run-1'/);
  });
});

describe('work', () => {
  it('ends a job that keeps failing as failed, with the last error, after retryLimit retries', async () => {
    const runId = randomUUID();
    await queue.enqueueRunJobs(null, [runId]);
    const attempts: number[] = [];

    await queue.work(
      async ({ attempt }) => {
        attempts.push(attempt);
        throw new Error(`out of memory at attempt ${attempt}`);
      },
      { untilIdle: true },
    );

    expect(attempts).toEqual([1, 2]);
    const status = await queue.getRunJob(runId);
    expect(status?.state).toBe('failed');
    expect(status?.attempt).toBe(2);
    expect(status?.output).toMatchObject({ message: 'out of memory at attempt 2' });
  });

  it('fails a job for good, without its retries, when the handler says retrying cannot help', async () => {
    const [permanent, ordinary] = [randomUUID(), randomUUID()];
    await queue.enqueueRunJobs(null, [permanent, ordinary]);
    const attempts: string[] = [];
    const events: WorkerEvent[] = [];

    await queue.work(
      async ({ runId, attempt }) => {
        attempts.push(`${runId === permanent ? 'permanent' : 'ordinary'}#${attempt}`);
        if (runId === permanent) throw Object.assign(new Error('does not fit in memory'), { retryable: false });
        throw new Error('flaky');
      },
      { untilIdle: true, onEvent: (e) => events.push(e) },
    );

    expect(attempts.filter((a) => a.startsWith('permanent'))).toEqual(['permanent#1']);
    expect(attempts.filter((a) => a.startsWith('ordinary'))).toEqual(['ordinary#1', 'ordinary#2']);
    expect(await queue.getRunJob(permanent)).toMatchObject({ state: 'failed', attempt: 1, output: { message: 'does not fit in memory', retryable: false } });
    expect(events.find((e) => e.kind === 'failed' && e.runId === permanent)).toMatchObject({ willRetry: false });
  });

  it('keeps a job that runs longer than its lease alive through heartbeats, and runs it once', async () => {
    const runId = randomUUID();
    await queue.enqueueRunJobs(null, [runId]);
    let calls = 0;

    await queue.work(
      async ({ host }) => {
        calls += 1;
        // Runs until the stored lease has been pushed past two leases from the start: by then the
        // first lease is over (maintenance runs every second), so without renewals the job would
        // have been expired and retried. Waits on the stored state, not on a guessed duration.
        await waitFor('the lease renewed past two leases', async () => {
          const [job] = await db.query<{ seconds: number }>('SELECT extract(epoch FROM expire_in)::float8 AS seconds FROM pgboss.job WHERE id = $1', [runId]);
          return (job?.seconds ?? 0) >= FAST_QUEUE.leaseSeconds * 2;
        });
        return { trainedOn: host };
      },
      { untilIdle: true, host: 'gpu-node-7' },
    );

    expect(calls).toBe(1);
    const status = await queue.getRunJob(runId);
    expect(status).toMatchObject({ state: 'completed', attempt: 1, output: { trainedOn: 'gpu-node-7', host: 'gpu-node-7' } });
  });

  it('aborts the handler and reports nothing when another attempt took the job over', async () => {
    const runId = randomUUID();
    await queue.enqueueRunJobs(null, [runId]);
    const events: WorkerEvent[] = [];
    let reason: unknown;

    const working = queue.work(
      async ({ signal }) => {
        // Another worker claiming the job after an expiry raises retry_count: do that directly.
        await db.query("UPDATE pgboss.job SET retry_count = retry_count + 1 WHERE id = $1 AND state = 'active'", [runId]);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        reason = signal.reason;
      },
      { onEvent: (e) => events.push(e) },
    );
    await waitFor('the lease loss', async () => events.some((e) => e.kind === 'lease-lost'));

    expect(reason).toBeInstanceOf(LeaseLostError);
    expect(events.map((e) => e.kind)).toEqual(['claimed', 'lease-lost']);
    // The job belongs to the (pretend) other attempt: still active, not completed by us.
    expect((await queue.getRunJob(runId))?.state).toBe('active');
    await queue.stop();
    await working;
  });

  it('aborts running handlers on stop and hands their jobs back for a retry', async () => {
    const runId = randomUUID();
    await queue.enqueueRunJobs(null, [runId]);
    let started = false;
    let reason: unknown;

    const working = queue.work(async ({ signal }) => {
      started = true;
      await sleep(60_000, undefined, { signal }).catch(() => undefined);
      reason = signal.reason;
      throw signal.reason;
    });
    await waitFor('the job to start', async () => started);
    await queue.stop({ graceMs: 100 });
    await working;

    expect(reason).toBeInstanceOf(WorkerStoppingError);
    await expect(queue.getRunJob(runId)).rejects.toThrow(/stopped/);
    const observer = await createJobQueue(db.url, FAST_QUEUE);
    const status = await observer.getRunJob(runId);
    await observer.stop();
    expect(status?.state).toBe('retry');
    expect(status?.output).toMatchObject({ name: 'WorkerStoppingError' });
  });

  it('rejects a concurrency that is not a positive whole number', async () => {
    await expect(queue.work(async () => undefined, { concurrency: 0 })).rejects.toThrow(/at least 1; got 0/);
  });
});

describe('requeueRun', () => {
  it('queues a finished run again with a fresh retry budget', async () => {
    const runId = randomUUID();
    const sweepId = randomUUID();
    await queue.enqueueRunJobs(sweepId, [runId]);
    await queue.work(async () => undefined, { untilIdle: true });
    expect((await queue.getRunJob(runId))?.state).toBe('completed');

    expect(await queue.requeueRun(runId)).toBe('queued');
    expect(await queue.requeueRun(runId)).toBe('already-queued');
    expect(await queue.getRunJob(runId)).toMatchObject({ state: 'created', attempt: 1, sweepId });
  });
});

describe('cancelRunJobs', () => {
  it('cancels waiting jobs and leaves the job a worker is running to that worker', async () => {
    const [running, waiting] = [randomUUID(), randomUUID()];
    await queue.enqueueRunJobs(null, [running]);
    let started = false;
    let finish = () => undefined as void;
    const working = queue.work(async () => {
      started = true;
      await new Promise<void>((resolve) => (finish = resolve));
    });
    await waitFor('the job to start', async () => started);
    await queue.enqueueRunJobs(null, [waiting]); // the only slot is busy: this one waits

    expect(await queue.cancelRunJobs([waiting, running, randomUUID()])).toEqual([waiting]);
    expect((await queue.getRunJob(waiting))?.state).toBe('cancelled');
    expect((await queue.getRunJob(running))?.state).toBe('active');
    expect(await queue.cancelRunJobs([waiting])).toEqual([]);

    finish();
    await waitFor('the running job to complete', async () => (await queue.getRunJob(running))?.state === 'completed');
    await queue.stop();
    await working;
  });
});

describe('options', () => {
  it('names the bad setting', async () => {
    await expect(createJobQueue(db.url, { leaseSeconds: 10, heartbeatSeconds: 20 })).rejects.toThrow(
      /heartbeatSeconds: heartbeatSeconds must be shorter than leaseSeconds/,
    );
    await expect(createJobQueue(db.url, { leaseSecs: 10 } as never)).rejects.toThrow(/leaseSecs/);
  });

  it('says which database it could not open', async () => {
    await expect(createJobQueue('postgres://postgres:secret@127.0.0.1:1/nowhere')).rejects.toThrow(
      /Could not open the job queue in PostgreSQL \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere\).*DATABASE_URL/,
    );
  });
});
