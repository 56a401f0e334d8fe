// Sweep throughput: the same small sweep worked by one training process and by one per core, through
// the real trainer CLI (synth → import → sweep → worker) into a scratch PostgreSQL database, with
// the ratio of their throughputs. Rounds alternate one and N processes so that load from other jobs
// on a shared machine falls on both; the median of each is reported.
//
//   npx tsx tools/bench/src/sweep.ts [--runs 4] [--rounds 2] [--epochs 3] [--processes 2] [--server-url postgres://…]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { positiveInt, runProgram } from './cli-options';
import { dbEnv } from '@ovus/db';
import { createTestDatabase } from '@ovus/db/testing';
import { median } from './train-stats';

interface Options {
  runs: number;
  rounds: number;
  epochs: number;
  processes: number;
  size: number;
  backbone: string;
  width: number;
  serverUrl: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const trainerMain = join(root, 'apps/trainer/src/main.ts');

/** Runs the trainer CLI; resolves with its wall time, rejects with its output when it fails. */
function trainer(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(tsx, [trainerMain, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`trainer ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** A sweep file of `runs` runs of one small backbone (seeds 0…runs−1), named for its round. */
function sweepYaml(name: string, options: Options): string {
  return [
    `name: ${name}`,
    'project: ovus-bench-sweep',
    'base:',
    '  dataset: { name: bench-phantom }',
    '  tasks: all',
    `  imageSize: ${options.size}`,
    `  epochs: ${options.epochs}`,
    '  batchSize: 16',
    '  optimizer: { name: adam, learningRate: 0.003 }',
    '  split: { kind: holdout, seed: 0, fractions: { train: 0.7, validation: 0.1, test: 0.2 } }',
    '  earlyStopping: null',
    '  evaluation: { bootstrapResamples: 100 }',
    'variants:',
    `  - backbone: ${options.backbone}`,
    `    backboneOptions: { widthMultiplier: ${options.width} }`,
    'grid:',
    `  seed: [${Array.from({ length: options.runs }, (_, i) => i).join(', ')}]`,
    '',
  ].join('\n');
}

async function main(options: Options): Promise<void> {
  const db = await createTestDatabase({ serverUrl: options.serverUrl });
  const work = await mkdtemp(join(tmpdir(), 'ovus-bench-sweep-'));
  const env = { ...process.env, DATABASE_URL: db.url, OVUS_DATA_DIR: join(work, 'data'), NO_COLOR: '1' };
  try {
    const phantom = join(work, 'phantom');
    await trainer(['synth', '--out', phantom, '--size', '96'], env);
    await trainer(['import', join(phantom, 'manifest.csv'), '--name', 'bench-phantom'], env);

    const seconds: Record<'one' | 'many', number[]> = { one: [], many: [] };
    for (let round = 0; round < options.rounds; round += 1) {
      for (const mode of ['one', 'many'] as const) {
        const processes = mode === 'one' ? 1 : options.processes;
        const config = join(work, `sweep-${round}-${mode}.yaml`);
        await writeFile(config, sweepYaml(`bench-${round}-${mode}`, options));
        await trainer(['sweep', config], env);
        const ms = await trainer(['worker', '--concurrency', String(processes), '--until-idle', '--poll-seconds', '0.5'], env);
        const runs = await runTimes(db.pool, `bench-${round}-${mode}`);
        if (runs.finished !== options.runs) throw new Error(`round ${round} (${processes} processes): ${runs.finished} of ${options.runs} runs finished`);
        seconds[mode].push(ms / 1000);
        console.log(
          `round ${round + 1}: ${processes} process(es): ${options.runs} runs in ${(ms / 1000).toFixed(1)} s ` +
            `(first run start to last run end ${runs.spanSeconds.toFixed(1)} s; runs took ${runs.runSeconds.map((s) => s.toFixed(1)).join(', ')} s, ` +
            `of which training ${runs.trainingSeconds.map((s) => s.toFixed(1)).join(', ')} s and scoring ${runs.evaluationSeconds.map((s) => s.toFixed(1)).join(', ')} s)`,
        );
      }
    }

    const one = median(seconds.one);
    const many = median(seconds.many);
    console.log(
      `\nsweep benchmark: ${options.runs} runs of ${options.backbone} x${options.width} at ${options.size} px, ${options.epochs} epochs, ` +
        `${options.rounds} alternating rounds, wall time of 'trainer worker --until-idle' (process start and scoring included)`,
    );
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`  1 process : ${one.toFixed(1)} s  (${(options.runs / (one / 60)).toFixed(2)} runs/min; rounds: ${seconds.one.map((s) => s.toFixed(1)).join(', ')})`);
    console.log(`  ${options.processes} processes: ${many.toFixed(1)} s  (${(options.runs / (many / 60)).toFixed(2)} runs/min; rounds: ${seconds.many.map((s) => s.toFixed(1)).join(', ')})`);
    console.log(`  throughput ratio ${options.processes} / 1: ${(one / many).toFixed(2)}x  (target >= 1.8x on 2 cores)`);
  } finally {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Finished runs of a sweep: each one's duration, how much of it was training and scoring (the
 * run's training_ms and evaluation_ms tags; the rest is setup, data loading and logging), and the
 * span from the first start to the last end.
 */
async function runTimes(
  pool: import('pg').Pool,
  sweepName: string,
): Promise<{ finished: number; runSeconds: number[]; trainingSeconds: number[]; evaluationSeconds: number[]; spanSeconds: number }> {
  const { rows } = await pool.query<{ started: Date; ended: Date; training_ms: string | null; evaluation_ms: string | null }>(
    `SELECT r.started_at AS started, r.ended_at AS ended,
            (SELECT value FROM tag t WHERE t.run_id = r.id AND t.key = 'training_ms') AS training_ms,
            (SELECT value FROM tag t WHERE t.run_id = r.id AND t.key = 'evaluation_ms') AS evaluation_ms
       FROM run r JOIN sweep s ON s.id = r.sweep_id
      WHERE s.name = $1 AND r.status = 'finished' ORDER BY r.started_at`,
    [sweepName],
  );
  const first = Math.min(...rows.map((r) => r.started.getTime()));
  const last = Math.max(...rows.map((r) => r.ended.getTime()));
  return {
    finished: rows.length,
    runSeconds: rows.map((r) => (r.ended.getTime() - r.started.getTime()) / 1000),
    trainingSeconds: rows.map((r) => Number(r.training_ms) / 1000),
    evaluationSeconds: rows.map((r) => Number(r.evaluation_ms) / 1000),
    spanSeconds: rows.length ? (last - first) / 1000 : 0,
  };
}

const program = new Command()
  .name('sweep')
  .description('Throughput of a small sweep worked by one training process versus one per core')
  .option('--runs <n>', 'runs per sweep (seeds of one backbone)', positiveInt('runs'), 4)
  .option('--rounds <n>', 'alternating rounds of 1 and N processes (the median is reported)', positiveInt('rounds'), 2)
  .option('--epochs <n>', 'epochs per run', positiveInt('epochs'), 3)
  .option('--processes <n>', 'training processes in the parallel case', positiveInt('processes'), Math.max(2, cpus().length))
  .option('--size <px>', 'model input size', positiveInt('size'), 64)
  .option('--backbone <name>', 'backbone of every run', 'mobilenet-v3-small')
  .option('--width <x>', 'width multiplier', (value: string) => Number(value), 0.5)
  .option('--server-url <url>', 'PostgreSQL server for a scratch database (default TEST_DATABASE_URL)')
  .action(async (opts: Omit<Options, 'serverUrl'> & { serverUrl?: string }) => {
    await main({ ...opts, serverUrl: opts.serverUrl ?? dbEnv().TEST_DATABASE_URL });
  });

runProgram(program);
