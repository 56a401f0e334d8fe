// End-to-end plumbing: a fresh PostgreSQL database per test file, a small phantom imported into
// it, CLI commands run in this process or as real child processes (tsx), and the queries the
// tests check the stored runs with.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Tests make their own database with @ovus/db's test support; the app's sources never import @ovus/db.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { TASK_NAMES } from '@ovus/domain';
import { cli, mainFile } from './cli-harness';

export interface E2eEnvironment {
  db: TestDatabase;
  dataDir: string;
  /** Environment for child processes: the test database and data folder, plain progress. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/** Points this process (in-process CLI runs) and its children at a new database and data folder. */
export async function startE2e(): Promise<E2eEnvironment> {
  // Before anything reads (and caches) the environment: the tracking journal lives in the data folder.
  const dataDir = await mkdtemp(join(tmpdir(), 'ovus-e2e-'));
  process.env.OVUS_DATA_DIR = dataDir;
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.OVUS_PROGRESS = 'plain';
  process.env.OVUS_PROGRESS_INTERVAL_SECONDS = '1';
  // Child processes keep their scratch folders here, so the ones a SIGKILL leaves are removed too.
  const tmp = join(dataDir, 'tmp');
  await mkdir(tmp);
  const env = { ...process.env, TMPDIR: tmp };
  return {
    db,
    dataDir,
    env,
    cleanup: async () => {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A 24-case phantom at 32 px, imported as `name`; phantoms of different seeds are different datasets. */
export async function importPhantom(e2e: E2eEnvironment, name: string, seed = 1): Promise<void> {
  const out = join(e2e.dataDir, name);
  const synth = await cli('synth', '--out', out, '--cases', '24', '--size', '32', '--seed', String(seed));
  if (synth.code !== 0) throw new Error(synth.err);
  const imported = await cli('import', join(out, 'manifest.csv'), '--name', name);
  if (imported.code !== 0) throw new Error(imported.err);
}

export const TINY_RUN = {
  imageSize: 32,
  batchSize: 4,
  split: { fractions: { train: 0.6, validation: 0.2, test: 0.2 } },
  evaluation: { bootstrapResamples: 50 },
  optimizer: { learningRate: 0.001 },
};

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function startCli(e2e: E2eEnvironment, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile, ...args], { env: e2e.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

/** Polls `probe` until it gives a value; on time-out, the error adds what `explain` says (e.g. a process's output). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 50,
  explain?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${explain ? `\n${explain()}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Every (key, step) a finished run logs, from its shape alone (see src/runtime/run-logging.ts):
 * per batch 1 + T loss keys, per epoch 4 + T training keys and 3 + 4T validation keys, and
 * 5 final scores per task and split at step 0.
 */
export function expectedMetricPoints(options: { epochs: number; stepsPerEpoch: number; tasks?: readonly string[] }): Set<string> {
  const tasks = options.tasks ?? TASK_NAMES;
  const points = new Set<string>();
  for (let step = 1; step <= options.epochs * options.stepsPerEpoch; step++) {
    points.add(`train/loss@${step}`);
    for (const t of tasks) points.add(`train/loss/${t}@${step}`);
  }
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (const key of ['epoch/train_loss', 'epoch/learning_rate', 'epoch/seconds', 'epoch/images_per_second', 'val/loss', 'val/mean_accuracy', 'val/mean_f1']) {
      points.add(`${key}@${epoch}`);
    }
    for (const t of tasks) {
      for (const key of [`epoch/train_loss/${t}`, `val/loss/${t}`, `val/${t}/accuracy`, `val/${t}/f1`, `val/${t}/auc`]) points.add(`${key}@${epoch}`);
    }
  }
  for (const split of ['validation', 'test']) {
    for (const t of tasks) for (const m of ['accuracy', 'precision', 'recall', 'f1', 'auc']) points.add(`final/${split}/${t}/${m}@0`);
  }
  return points;
}

export async function metricPoints(db: TestDatabase, runId: string): Promise<{ rows: number; points: Set<string> }> {
  const { rows } = await db.pool.query<{ key: string; step: number }>('SELECT key, step FROM metric WHERE run_id = $1', [runId]);
  return { rows: rows.length, points: new Set(rows.map((r) => `${r.key}@${r.step}`)) };
}

export async function runRow(db: TestDatabase, runId: string) {
  const { rows } = await db.pool.query<{
    status: string;
    host: string | null;
    attempt: number;
    tfjs_backend: string | null;
    git_commit: string | null;
    hardware: unknown;
    error_text: string | null;
  }>(
    'SELECT status, host, attempt, tfjs_backend, git_commit, hardware, error_text FROM run WHERE id = $1',
    [runId],
  );
  return rows[0];
}

export async function hasCheckpoint(db: TestDatabase, runId: string): Promise<boolean> {
  const { rowCount } = await db.pool.query("SELECT 1 FROM artifact WHERE run_id = $1 AND path = 'checkpoints/latest.ckpt'", [runId]);
  return (rowCount ?? 0) > 0;
}

export async function testResults(db: TestDatabase, runId: string) {
  const { rows } = await db.pool.query(
    `SELECT task, accuracy, accuracy_lo, accuracy_hi, precision, recall, f1, f1_lo, f1_hi, auc FROM task_result
      WHERE run_id = $1 AND split = 'test' ORDER BY task`,
    [runId],
  );
  return rows;
}
