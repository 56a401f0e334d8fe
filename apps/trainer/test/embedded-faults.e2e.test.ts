// The CLI as a new user runs it: no DATABASE_URL, so every command starts (or joins) the embedded
// PostgreSQL in the data folder. Exit codes, refusals and Ctrl-C behave as with an external server;
// the server is shared by processes (the first to end does not stop it under the others); the
// database stopped across the end of training leaves the run's ending in the journal (exit 4),
// and `journal replay` stores it with every metric point once.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, mainFile } from './cli-harness';
import { expectedMetricPoints, importPhantom, startCli, TINY_RUN, waitFor, type Child, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;

function freePortForTests(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  // Before anything reads (and caches) the environment.
  const dataDir = await mkdtemp(join(tmpdir(), 'ovus-embedded-e2e-'));
  delete process.env.DATABASE_URL;
  process.env.OVUS_DATA_DIR = dataDir;
  process.env.OVUS_EMBEDDED_PG_PORT = String(await freePortForTests());
  process.env.OVUS_PROGRESS = 'plain';
  process.env.OVUS_PROGRESS_INTERVAL_SECONDS = '1';
  const env = { ...process.env, TMPDIR: dataDir };
  e2e = {
    db: undefined as never, // no test database: the embedded server is the database
    dataDir,
    env,
    cleanup: async () => {
      await cli('db', 'stop', '--force');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await importPhantom(e2e, 'embedded-phantom');
}, 120_000);

afterAll(async () => {
  await e2e.cleanup();
});

const sets = (epochs: number, extra: string[] = []) =>
  [
    'dataset.name=embedded-phantom',
    'backbone=mobilenet-v3-small',
    'backboneOptions.widthMultiplier=0.25',
    `epochs=${epochs}`,
    'backend=wasm',
    ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
    ...extra,
  ].flatMap((s) => ['--set', s]);

function startCliInOwnGroup(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile, ...args], { env: e2e.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

const runIdOf = (output: string) => /Run ([0-9a-f-]{36}) \(/.exec(output)?.[1];

/** Reads through the embedded server, as any ovus process would (joining it while reading). */
async function withDatabase<T>(read: (db: TrackingDatabase) => Promise<T>): Promise<T> {
  const db = await openTrackingDatabase({ onWarning: () => undefined });
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

async function storedPoints(runId: string): Promise<{ rows: number; points: Set<string> }> {
  return withDatabase(async (db) => {
    const keys = await db.store.getLatestMetrics(runId);
    const points = new Set<string>();
    let rows = 0;
    for (const { key } of keys) {
      for (const point of await db.store.getMetricHistory(runId, key)) {
        rows += 1;
        points.add(`${key}@${point.step}`);
      }
    }
    return { rows, points };
  });
}

describe('the CLI on the embedded database', () => {
  it('refuses bad input with exit 2, a run the queue holds with 3, and fails a broken run with 1', async () => {
    expect((await cli('train', ...sets(1, ['dataset.name=no-such-dataset']))).code).toBe(2);
    expect((await cli('train', '--resume', randomUUID())).code).toBe(2);
    expect((await cli('train', '--resume', 'xyz')).code).toBe(2);
    expect((await cli('rerun', 'xyz')).code).toBe(2);
    process.env.DATABASE_URL = 'mysql://nope';
    try {
      const bad = await cli('train', '--resume', randomUUID());
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('DATABASE_URL: must be a PostgreSQL URL');
    } finally {
      delete process.env.DATABASE_URL;
    }

    const sweepFile = join(e2e.dataDir, 'queued.yaml');
    await writeFile(sweepFile, stringify({ name: 'queued', project: 'e2e', base: { dataset: { name: 'embedded-phantom' }, backbone: 'mobilenet-v3-small', ...TINY_RUN } }));
    expect((await cli('sweep', sweepFile)).code).toBe(0);
    const queuedRun = await withDatabase(async (db) => (await db.runs.list({ status: 'queued' }))[0]?.id as string);
    const refused = await cli('train', '--resume', queuedRun);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain('is queued for workers');

    expect((await cli('train', ...sets(1, ['imageSize=33']))).code).toBe(2); // a bad config, before anything starts

    // A run that fails (an image deleted after import): exit 1, the run failed naming the file.
    await importPhantom(e2e, 'embedded-broken', 2);
    const images = join(e2e.dataDir, 'embedded-broken', 'images');
    const victim = (await readdir(images)).sort()[0] as string;
    await rm(join(images, victim));
    const failing = await cli('train', ...sets(1, ['dataset.name=embedded-broken']));
    expect(failing.code).toBe(1);
    const failedRun = runIdOf(failing.out) as string;
    const failed = await withDatabase((db) => db.runs.get(failedRun));
    expect(failed?.status).toBe('failed');
    expect(failed?.errorText).toContain(victim);
  }, 120_000);

  it('Ctrl-C ends the run killed with exit 130; a second process cannot train it meanwhile; resume says where it resumes', async () => {
    // Its own process group, signalled as a whole like a terminal's Ctrl-C: the embedded server,
    // started by this process, must not be in that group (it used to be, and died with the run).
    const first = startCliInOwnGroup(['train', ...sets(40)]);
    const runId = await waitFor('the run id', async () => runIdOf(first.output()), 120_000, 50, first.output);
    await waitFor('the first epoch', async () => /epoch 1\/40 done/.test(first.output()), 120_000, 50, first.output);

    const second = await cli('train', '--resume', runId);
    expect(second.code).toBe(3);
    expect(second.err).toContain(`Run ${runId} is being trained by another process on ${hostname()}`);
    expect(second.err).toContain('To take over, stop that process');

    process.kill(-(first.process.pid as number), 'SIGINT');
    expect(await first.exited).toBe(130);
    expect(first.output()).toContain(`Continue it from its last checkpoint with: npx ovus train --resume ${runId}`);
    expect(first.output()).not.toContain('unreachable'); // the server outlived the Ctrl-C
    const killed = await withDatabase((db) => db.runs.get(runId));
    expect(killed?.status).toBe('killed');
    expect(killed?.errorText).toMatch(/^Stopped after \d+ epoch\(s\) on .+: Interrupted by SIGINT\./);
    const checkpointEpoch = Number((await withDatabase((db) => db.store.getTags(runId))).checkpoint_epoch);
    expect(checkpointEpoch).toBeGreaterThanOrEqual(1);

    const resumed = startCli(e2e, ['train', '--resume', runId]);
    await waitFor('the resume line', async () => /resuming at epoch/.test(resumed.output()), 120_000, 50, resumed.output);
    expect(resumed.output()).toContain(`run ${runId}: resuming at epoch ${checkpointEpoch + 1} of 40 from its checkpoint of epoch ${checkpointEpoch}`);
    resumed.process.kill('SIGINT');
    expect(await resumed.exited).toBe(130);
  }, 240_000);

  it('two processes share the server: the first ends first, the second trains on and finishes', async () => {
    const short = startCli(e2e, ['train', ...sets(1)]);
    const long = startCli(e2e, ['train', ...sets(4, ['seed=1'])]);
    expect(await short.exited).toBe(0);
    const longRun = await waitFor('the second run id', async () => runIdOf(long.output()), 120_000, 50, long.output);
    expect(await long.exited).toBe(0);
    expect(long.output()).not.toContain('unreachable');
    const stepsPerEpoch = Number(/start: 4 epochs × (\d+) steps/.exec(long.output())?.[1]);
    const expected = expectedMetricPoints({ epochs: 4, stepsPerEpoch });
    const stored = await storedPoints(longRun);
    expect(stored.rows).toBe(expected.size);
    expect((await withDatabase((db) => db.runs.get(longRun)))?.status).toBe('finished');
    // Nobody uses the server any more: the last process to leave stopped it.
    expect((await cli('db', 'status')).out).toContain('is not running');
  }, 240_000);

  it('the database stopped across the end of training: exit 4 with the replay command, then every point stored once', async () => {
    const child = startCli(e2e, ['train', ...sets(8, ['seed=2'])]);
    const runId = await waitFor('the run id', async () => runIdOf(child.output()), 120_000, 50, child.output);
    await waitFor('the first epoch', async () => /epoch 1\/8 done/.test(child.output()), 120_000, 50, child.output);
    const stop = await cli('db', 'stop', '--force');
    expect(stop.out).toContain('Stopped the embedded PostgreSQL');
    expect(await child.exited).toBe(4);
    expect(child.output()).toContain('only in the journal on this host');
    expect(child.output()).toContain(`with the ending of run ${runId}`);
    expect(child.output()).toContain('npx ovus journal replay');

    const listed = await cli('journal', 'list');
    expect(listed.out).toContain('waiting for replay');
    expect(listed.out).toContain(`run ${runId} ended finished at`);
    const replay = await cli('journal', 'replay');
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/Replayed 1 journal\(s\)/);
    const stepsPerEpoch = Number(/start: 8 epochs × (\d+) steps/.exec(child.output())?.[1]);
    const expected = expectedMetricPoints({ epochs: 8, stepsPerEpoch });
    const stored = await storedPoints(runId);
    expect(stored.rows).toBe(expected.size);
    expect([...stored.points].sort()).toEqual([...expected].sort());
    const run = await withDatabase((db) => db.runs.get(runId));
    expect(run?.status).toBe('finished');
    expect((await cli('journal', 'list')).out).toContain('No journals');
  }, 240_000);
});
