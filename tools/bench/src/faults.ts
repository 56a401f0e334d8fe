// Faults through the real trainer CLI on the embedded PostgreSQL (no DATABASE_URL, a scratch data
// folder), each on a tiny phantom run, and what the database holds afterwards:
//
//   sigkill       a `train` SIGKILLed in the middle of an epoch, then `train --resume`
//   db-down       the database stopped after epoch 1 and kept down 20 s, across the end of
//                 training; then `journal replay` (which starts it again)
//   worker-kill   two workers on a one-run sweep, the one training it SIGKILLed mid-job; the other
//                 retries it after its lease
//   two-processes two `train` processes on one embedded server started together, the first ending first
//
// Per scenario: metric points expected (from the run's shape), stored, duplicated (stored rows
// beyond one per (key, step), and points the run should not have), the run's status, the exit
// codes, and the seconds from the end of the fault until the run was complete in the database.
//
//   npx tsx tools/bench/src/faults.ts [--epochs 6] [--cases 40] [--size 32] [--down-seconds 20] [--only sigkill,db-down]
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { TASK_NAMES } from '@ovus/domain';
import { openTrackingDatabase } from '@ovus/tracking';
import { positiveInt, runProgram } from './cli-options';

interface Options {
  epochs: number;
  cases: number;
  size: number;
  downSeconds: number;
  only?: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const trainerMain = join(root, 'apps/trainer/src/main.ts');

interface Trainer {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves when the output matches. */
  saw(pattern: RegExp): Promise<void>;
}

function startTrainer(args: string[], env: NodeJS.ProcessEnv): Trainer {
  // node with tsx as a loader, not the tsx wrapper: a SIGKILL must reach the trainer itself.
  const child = spawn(process.execPath, ['--import', 'tsx', trainerMain, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (let i = watchers.length - 1; i >= 0; i -= 1) {
      const watcher = watchers[i] as (typeof watchers)[number];
      if (watcher.pattern.test(output)) {
        watchers.splice(i, 1);
        watcher.resolve();
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    saw: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        watchers.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`trainer ${args.join(' ')} exited with ${code} before printing ${pattern}:\n${output.slice(-3000)}`)));
      }),
  };
}

async function trainer(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = startTrainer(args, env);
  return { code: await child.exited, output: child.output() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runIdOf = (output: string) => /Run ([0-9a-f-]{36}) \(/.exec(output)?.[1] ?? /claimed run ([0-9a-f-]{36})/.exec(output)?.[1];
const stepsOf = (output: string) => Number(/start: \d+ epochs × (\d+) steps/.exec(output)?.[1]);

/** Every (key, step) a finished all-task run logs (apps/trainer/src/runtime/run-logging.ts). */
function expectedPoints(epochs: number, stepsPerEpoch: number): Set<string> {
  const points = new Set<string>();
  for (let step = 1; step <= epochs * stepsPerEpoch; step++) {
    points.add(`train/loss@${step}`);
    for (const t of TASK_NAMES) points.add(`train/loss/${t}@${step}`);
  }
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (const key of ['epoch/train_loss', 'epoch/learning_rate', 'epoch/seconds', 'epoch/images_per_second', 'val/loss', 'val/mean_accuracy', 'val/mean_f1']) points.add(`${key}@${epoch}`);
    for (const t of TASK_NAMES) for (const key of [`epoch/train_loss/${t}`, `val/loss/${t}`, `val/${t}/accuracy`, `val/${t}/f1`, `val/${t}/auc`]) points.add(`${key}@${epoch}`);
  }
  for (const split of ['validation', 'test']) for (const t of TASK_NAMES) for (const m of ['accuracy', 'precision', 'recall', 'f1', 'auc']) points.add(`final/${split}/${t}/${m}@0`);
  return points;
}

interface Row {
  scenario: string;
  expected: number;
  stored: number;
  duplicated: number;
  missing: number;
  status: string;
  exitCodes: string;
  recoverSeconds: string;
  note: string;
}

async function inspect(runId: string, epochs: number, stepsPerEpoch: number): Promise<Pick<Row, 'expected' | 'stored' | 'duplicated' | 'missing' | 'status'>> {
  const db = await openTrackingDatabase({ onWarning: () => undefined });
  try {
    const expected = expectedPoints(epochs, stepsPerEpoch);
    let rows = 0;
    const seen = new Set<string>();
    for (const { key } of await db.store.getLatestMetrics(runId)) {
      for (const point of await db.store.getMetricHistory(runId, key)) {
        rows += 1;
        seen.add(`${key}@${point.step}`);
      }
    }
    const unexpected = [...seen].filter((p) => !expected.has(p)).length;
    const missing = [...expected].filter((p) => !seen.has(p)).length;
    const status = (await db.runs.get(runId))?.status ?? 'missing';
    return { expected: expected.size, stored: rows, duplicated: rows - seen.size + unexpected, missing, status };
  } finally {
    await db.close();
  }
}

function trainArgs(options: Options, epochs: number, seed: number): string[] {
  const sets = [
    'dataset.name=faults-phantom',
    'backbone=mobilenet-v3-small',
    'backboneOptions.widthMultiplier=0.5',
    `imageSize=${options.size}`,
    `epochs=${epochs}`,
    'batchSize=8',
    'backend=wasm',
    `seed=${seed}`,
    'evaluation.bootstrapResamples=100',
  ];
  return ['train', ...sets.flatMap((s) => ['--set', s])];
}

async function sigkillMidEpoch(options: Options, env: NodeJS.ProcessEnv): Promise<Row> {
  const E = options.epochs;
  const first = startTrainer(trainArgs(options, E, 11), env);
  await first.saw(/epoch 2\/\d+ done/);
  await first.saw(new RegExp(`epoch 3/${E} step`)); // in the middle of epoch 3
  const shownEpochs = [...first.output().matchAll(/epoch (\d+)\/\d+ done/g)].length;
  first.process.kill('SIGKILL');
  const fault = performance.now();
  await first.exited;
  const runId = runIdOf(first.output()) as string;
  const resumed = await trainer(['train', '--resume', runId], env);
  const recover = (performance.now() - fault) / 1000;
  const from = /resuming at epoch (\d+)/.exec(resumed.output)?.[1];
  return {
    scenario: 'SIGKILL mid-epoch, then train --resume',
    ...(await inspect(runId, E, stepsOf(first.output()))),
    exitCodes: `killed, resume ${resumed.code}`,
    recoverSeconds: recover.toFixed(1),
    note: `display showed ${shownEpochs} epoch(s) done; resumed at epoch ${from ?? '1 (no checkpoint)'}`,
  };
}

async function databaseDownAcrossEnd(options: Options, env: NodeJS.ProcessEnv): Promise<Row> {
  const E = Math.min(options.epochs, 4);
  const child = startTrainer(trainArgs(options, E, 12), env);
  await child.saw(/epoch 1\/\d+ done/);
  // Paused while `db stop` starts (a CLI process takes seconds to start): a tiny run on a quiet
  // machine would otherwise finish before the database goes down, and nothing would be measured.
  child.process.kill('SIGSTOP');
  const stop = await trainer(['db', 'stop', '--force'], env);
  child.process.kill('SIGCONT');
  if (stop.code !== 0 || !/^Stopped the embedded PostgreSQL/m.test(stop.output)) throw new Error(`db stop did not stop the database under the training run:\n${stop.output}`);
  const down = performance.now();
  const backAt = down + options.downSeconds * 1000;
  const code = await child.exited;
  const endedWhileDown = performance.now() < backAt;
  await sleep(Math.max(0, backAt - performance.now()));
  const back = performance.now();
  const replay = await trainer(['journal', 'replay'], env);
  const recover = (performance.now() - back) / 1000;
  const runId = runIdOf(child.output()) as string;
  return {
    scenario: `database down ${options.downSeconds} s across the end of training`,
    ...(await inspect(runId, E, stepsOf(child.output()))),
    exitCodes: `train ${code}, journal replay ${replay.code}`,
    recoverSeconds: recover.toFixed(1),
    note: endedWhileDown ? 'training ended while the database was down' : 'training outlasted the outage',
  };
}

async function workerKilledMidJob(options: Options, env: NodeJS.ProcessEnv, dir: string): Promise<Row> {
  const E = options.epochs;
  const sweepFile = join(dir, 'faults-sweep.yaml');
  await writeFile(
    sweepFile,
    [
      'name: faults-worker',
      'project: faults',
      'base:',
      '  dataset: { name: faults-phantom }',
      '  backbone: mobilenet-v3-small',
      '  backboneOptions: { widthMultiplier: 0.5 }',
      `  imageSize: ${options.size}`,
      `  epochs: ${E}`,
      '  batchSize: 8',
      '  backend: wasm',
      '  seed: 13',
      '  evaluation: { bootstrapResamples: 100 }',
      '',
    ].join('\n'),
  );
  const submitted = await trainer(['sweep', sweepFile], env);
  if (submitted.code !== 0) throw new Error(submitted.output);
  const fast = ['--lease-seconds', '10', '--poll-seconds', '0.5', '--maintenance-seconds', '1', '--retry-delay-seconds', '0', '--heartbeat-seconds', '1'];
  const workers = ['wA', 'wB'].map((host) => ({ host, child: startTrainer(['worker', '--concurrency', '1', '--until-idle', '--backend', 'wasm', '--host', host, ...fast], env) }));
  const victim = await Promise.race(workers.map((w) => w.child.saw(/epoch 2\/\d+ done/).then(() => w)));
  await victim.child.saw(new RegExp(`epoch 3/${E} step`));
  victim.child.process.kill('SIGKILL');
  const fault = performance.now();
  await victim.child.exited;
  const survivor = workers.find((w) => w !== victim) as (typeof workers)[number];
  const code = await survivor.child.exited;
  const recover = (performance.now() - fault) / 1000;
  const runId = runIdOf(victim.child.output()) as string;
  return {
    scenario: 'worker SIGKILLed mid-job (lease 10 s)',
    ...(await inspect(runId, E, stepsOf(victim.child.output()))),
    exitCodes: `killed, survivor ${code}`,
    recoverSeconds: recover.toFixed(1),
    note: /resuming at epoch (\d+)/.exec(survivor.child.output())?.[0] ?? 'not resumed',
  };
}

async function twoProcesses(options: Options, env: NodeJS.ProcessEnv): Promise<Row> {
  const short = startTrainer(trainArgs(options, 1, 14), env);
  const long = startTrainer(trainArgs(options, options.epochs, 15), env);
  const shortCode = await short.exited;
  const shortEnded = performance.now();
  const longCode = await long.exited;
  const longEnded = performance.now();
  const runId = runIdOf(long.output()) as string;
  const shortRun = await inspect(runIdOf(short.output()) as string, 1, stepsOf(short.output()));
  return {
    scenario: 'two train processes on one embedded server, the first ending first',
    ...(await inspect(runId, options.epochs, stepsOf(long.output()))),
    exitCodes: `first ${shortCode}, second ${longCode}`,
    recoverSeconds: '0 (no outage)',
    note: `first: ${shortRun.stored}/${shortRun.expected} points, ${shortRun.status}; second ended ${((longEnded - shortEnded) / 1000).toFixed(0)} s later${/unreachable/.test(long.output()) ? ', saw the database go away' : ', never lost the database'}`,
  };
}

async function main(options: Options): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ovus-faults-'));
  await chmod(dir, 0o755); // as root the server runs as postgres, which must reach the cluster here
  const env: NodeJS.ProcessEnv = { ...process.env, OVUS_DATA_DIR: dir, OVUS_PROGRESS: 'plain', OVUS_PROGRESS_INTERVAL_SECONDS: '0.2', TMPDIR: dir };
  delete env.DATABASE_URL;
  delete env.OVUS_EMBEDDED_PG_PORT;
  process.env.OVUS_DATA_DIR = dir; // inspect() opens the same embedded server
  delete process.env.DATABASE_URL;
  const wanted = new Set((options.only ?? 'sigkill,db-down,worker-kill,two-processes').split(','));
  try {
    const synth = await trainer(['synth', '--out', join(dir, 'phantom'), '--cases', String(options.cases), '--size', String(options.size * 2), '--seed', '3'], env);
    const imported = await trainer(['import', join(dir, 'phantom', 'manifest.csv'), '--name', 'faults-phantom'], env);
    if (synth.code !== 0 || imported.code !== 0) throw new Error(`${synth.output}\n${imported.output}`);
    const rows: Row[] = [];
    const scenarios: [string, () => Promise<Row>][] = [
      ['sigkill', () => sigkillMidEpoch(options, env)],
      ['db-down', () => databaseDownAcrossEnd(options, env)],
      ['worker-kill', () => workerKilledMidJob(options, env, dir)],
      ['two-processes', () => twoProcesses(options, env)],
    ];
    for (const [name, scenario] of scenarios) {
      if (!wanted.has(name)) continue;
      const row = await scenario();
      rows.push(row);
      console.log(`${row.scenario}: ${row.stored}/${row.expected} points, ${row.duplicated} duplicated, ${row.missing} missing, ${row.status}, exit ${row.exitCodes}, ${row.recoverSeconds} s (${row.note})`);
    }
    const server = await trainer(['db', 'status'], env);
    console.log('\n| scenario | points expected | stored | duplicated | missing | run status | exit codes | s to recover | note |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |');
    for (const r of rows) console.log(`| ${r.scenario} | ${r.expected} | ${r.stored} | ${r.duplicated} | ${r.missing} | ${r.status} | ${r.exitCodes} | ${r.recoverSeconds} | ${r.note} |`);
    console.log(`\nAfterwards: ${server.output.trim()}`);
  } finally {
    await trainer(['db', 'stop', '--force'], env);
    await rm(dir, { recursive: true, force: true });
  }
}

const program = new Command()
  .name('faults')
  .option('--epochs <n>', 'epochs of the runs that get a fault', positiveInt('epochs'), 6)
  .option('--cases <n>', 'phantom cases', positiveInt('cases'), 40)
  .option('--size <px>', 'image size the runs train at', positiveInt('size'), 32)
  .option('--down-seconds <n>', 'how long the database stays down', positiveInt('down-seconds'), 20)
  .option('--only <names>', 'comma-separated: sigkill, db-down, worker-kill, two-processes')
  .action(main);
runProgram(program);
