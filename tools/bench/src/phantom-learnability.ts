// Can a small CNN learn the synthetic phantom? `npx tsx tools/bench/src/phantom-learnability.ts [--help]`
//
// Renders the default phantom (257 cases; --seed 1), imports it like any dataset (validation),
// and cross-validates one small model with the trainer's epoch loop (@ovus/ml-training: seeded,
// augmented): k patient-level folds stratified on malignancy; each fold is the test part of one
// training run on all the other folds. Every case is thus predicted once by a model that never
// saw it, and the pooled out-of-fold predictions are scored per task: accuracy and macro F1 with a
// 95% bootstrap interval, next to what chance gets on the same labels: the better of always
// answering the majority class and guessing at random (uniformly or with the class frequencies),
// whose expected macro F1 is computed exactly from the labels. A task counts as learned when the
// F1 interval's lower bound is above chance.
//
// Defaults, and why: class weights 'balanced' (boundary unclear, papillary and isoechoic are 5-12%
// of the cases; unweighted, the model mostly answers the majority); the last epoch is scored (the
// cosine schedule ends at rate 0), as picking the epoch on a ~28-case validation part chose
// under-trained epochs and took 15% of the training cases (--validation-share brings that back).
//
// Why pooled folds rather than one holdout: a 52-case test part holds one to five cases of the
// rare classes (boundary unclear: 24 of 257), so its macro F1 swings with a single case; pooling
// scores all 257 cases, every rare case included.
//
// Folds run as child processes of this file (`--worker`), `--workers` at a time: the wasm backend
// runs one thread per process, so two children use both cores.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
// Static imports (lint forbids a library being lazy-loaded in one file and static in another);
// the parent process only loads tfjs, it initialises no backend.
import { initEngine } from '@ovus/ml-engine';
import { loadModel } from '@ovus/ml-models';
import { predictPart, prepareRunData, scorePart, trainModel } from '@ovus/ml-training';
import {
  canonicalJson,
  makeHoldoutSplit,
  makeKFoldSplit,
  sha256Hex,
  synthesizePhantom,
  validateDataset,
  type CaseRecord,
  type SplitAssignment,
  type ValidatedDataset,
} from '@ovus/data';
import { parseTaskList, TASKS, type TaskName } from '@ovus/domain';
import { scoreTask } from '@ovus/ml-metrics';
import { table } from './train-stats';

interface Options {
  seed: string;
  cases: string;
  renderSize: string;
  size: string;
  backbone: string;
  width: string;
  epochs: string;
  batch: string;
  lr: string;
  trainSeed: string;
  classWeights: 'none' | 'balanced';
  folds: string;
  validationShare: string;
  splitSeed: string;
  workers: string;
  tasks: string;
  keep: boolean;
  phantom?: string;
  predictions?: string;
  worker?: string;
  fold?: string;
}

const program = new Command()
  .name('phantom-learnability')
  .description('Cross-validate a small model on the default phantom and compare pooled out-of-fold scores per task with chance.')
  .option('--seed <n>', 'phantom seed', '1')
  .option('--cases <n>', 'phantom cases (default: the paper’s 257)', '257')
  .option('--render-size <px>', 'phantom image size (synthesizePhantom’s default; `trainer synth` writes 128 unless told)', '256')
  .option('--size <px>', 'model input size', '64')
  .option('--backbone <name>', 'backbone', 'mobilenet-v3-small')
  .option('--width <x>', 'width multiplier', '0.5')
  .option('--epochs <n>', 'epochs per fold', '30')
  .option('--batch <n>', 'batch size', '16')
  .option('--lr <rate>', 'Adam learning rate (cosine schedule)', '0.003')
  .option('--train-seed <n>', 'training seed (init, order, augmentation), the same for every fold', '0')
  .option('--class-weights <kind>', "'balanced' (inverse class frequency in the loss: the rare classes count) or 'none'", 'balanced')
  .option('--folds <k>', 'cross-validation folds (each the test part of one run)', '4')
  .option('--validation-share <x>', 'share of the training folds set aside to pick the best epoch (0: score the last epoch)', '0')
  .option('--split-seed <n>', 'seed of the fold assignment', '0')
  .option('--workers <n>', 'folds trained at once, one process each', '2')
  .option('--tasks <list>', "tasks the model learns: 'all', 'paper-selected' or a comma-separated list", 'all')
  .option('--phantom <dir>', 'score a phantom rendered before (its manifest.csv and images; e.g. by another version) instead of rendering one')
  .option('--predictions <file>', 'write the pooled out-of-fold predictions as CSV (case, fold, task, true and predicted code, probabilities)')
  .option('--keep', 'keep the rendered phantom (its folder is printed)', false)
  .addOption(new Option('--worker <dir>', 'internal: train one fold on the phantom in <dir>').hideHelp())
  .addOption(new Option('--fold <i>', 'internal: the fold a worker trains').hideHelp());

/**
 * Fold `fold` as the test part; the other folds train, except `validationShare` of their patients
 * (stratified) that pick the best epoch. With no validation part the last epoch is scored.
 */
function foldSplit(cases: readonly CaseRecord[], k: number, fold: number, seed: number, validationShare: number): SplitAssignment {
  const test = makeKFoldSplit(cases, { seed, k, fold, testFraction: 0 }).parts.validation;
  const testIds = new Set(test);
  const others = cases.filter((c) => !testIds.has(c.caseId));
  const rest =
    validationShare > 0
      ? makeHoldoutSplit(others, { seed, fractions: { train: 1 - validationShare, validation: validationShare, test: 0 } }).parts
      : { train: others.map((c) => c.caseId).sort(), validation: [] };
  const share = 1 / k;
  const split = {
    kind: 'kfold' as const,
    seed,
    folds: k,
    fold,
    fractions: { train: (1 - share) * (1 - validationShare), validation: (1 - share) * validationShare, test: share },
    parts: { train: rest.train, validation: rest.validation, test },
  };
  return { ...split, hash: sha256Hex(canonicalJson(split)) };
}

async function loadPhantom(dir: string): Promise<ValidatedDataset> {
  const validated = await validateDataset(join(dir, 'manifest.csv'));
  if (!validated.ok) throw new Error(`The phantom in ${dir} did not validate: ${validated.issues[0]?.message}`);
  return validated.dataset;
}

/** What a worker sends back: out-of-fold class probabilities and how well it fits its own training cases. */
interface FoldResult {
  fold: number;
  backend: string;
  caseIds: string[];
  /** Per trained task, n × classes row-major, classes in TASKS[task].codes order. */
  probabilities: Partial<Record<TaskName, number[]>>;
  trainF1: Partial<Record<TaskName, number>>;
  epochs: number;
  selectedEpoch: number;
  trainSeconds: number;
  sizes: { train: number; validation: number; test: number };
}

async function runWorker(o: Options, dir: string, fold: number): Promise<void> {
  const engine = await initEngine({ backend: 'wasm' });
  const dataset = await loadPhantom(dir);
  const tasks = parseTaskList(o.tasks);
  const size = Number(o.size);
  const split = foldSplit(dataset.cases, Number(o.folds), fold, Number(o.splitSeed), Number(o.validationShare));
  const data = await prepareRunData({ rootDir: dataset.rootDir, cases: dataset.cases, split, tasks, imageSize: size });
  const workDir = join(dir, `work-${fold}-${process.pid}`);
  const started = Date.now();
  const outcome = await trainModel({
    config: {
      model: { backbone: o.backbone, backboneOptions: { widthMultiplier: Number(o.width) }, tasks, inputSize: size, dropout: 0.2 },
      epochs: Number(o.epochs),
      batchSize: Number(o.batch),
      gradientAccumulationSteps: 1,
      optimizer: { name: 'adam', learningRate: Number(o.lr), weightDecay: 0, momentum: 0.9 },
      schedule: { kind: 'cosine', warmupEpochs: 1, minLearningRate: 0, stepEpochs: 10, gamma: 0.1 },
      seed: Number(o.trainSeed),
      augmentation: { enabled: true, flipProbability: 0.5, maxRotationDeg: 10, brightness: 0.08, contrast: 0.2, speckle: 0.1 },
      earlyStopping: null,
      freezeBackboneEpochs: 0,
      pretrainedWeights: null,
      taskWeights: {},
      classWeights: o.classWeights,
      evaluation: { bootstrapResamples: 0, confidenceLevel: 0.95 },
      batchNormMomentum: 0.9,
    },
    data,
    workDir,
    callbacks: {
      onEpoch: (e) =>
        console.log(
          `fold ${fold} epoch ${String(e.epoch).padStart(2)}: train loss ${e.trainLoss.total.toFixed(3)}` +
            (e.validation ? `, validation loss ${e.validation.loss.toFixed(3)}, validation mean F1 ${e.validation.meanF1.toFixed(3)}` : '') +
            ` (${(e.durationMs / 1000).toFixed(1)} s)`,
        ),
    },
  });
  const trainSeconds = (Date.now() - started) / 1000;
  const { model } = await loadModel(join(workDir, outcome.selection.value === null ? 'checkpoint' : 'best'));
  const test = await predictPart(model, data.test, tasks);
  // How well the selected model fits its own training cases: tells a signal too weak to pick up
  // (low here too) from one learned but not generalised (high here, low on test).
  const train = scorePart(tasks, data.train, await predictPart(model, data.train, tasks), { bootstrapResamples: 0, confidenceLevel: 0.95, seed: 0 });
  model.dispose();
  await rm(workDir, { recursive: true, force: true });
  const result: FoldResult = {
    fold,
    backend: engine.backend,
    caseIds: [...data.test.caseIds],
    probabilities: Object.fromEntries(tasks.map((t) => [t, Array.from(test[t] as Float32Array)])),
    trainF1: Object.fromEntries(tasks.map((t) => [t, train[t]?.f1 ?? Number.NaN])),
    epochs: outcome.epochsCompleted,
    selectedEpoch: outcome.selectedEpoch,
    trainSeconds,
    sizes: { train: data.train.caseIds.length, validation: data.validation.caseIds.length, test: data.test.caseIds.length },
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '../../../node_modules/.bin/tsx');

/** Runs one fold in a child process, echoing its progress lines; resolves with its RESULT line. */
function trainFoldInChild(argv: readonly string[], dir: string, fold: number): Promise<FoldResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [fileURLToPath(import.meta.url), ...argv, '--worker', dir, '--fold', String(fold)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let result: FoldResult | null = null;
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice('RESULT '.length)) as FoldResult;
        else if (line.trim()) console.log(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`Fold ${fold} failed (exit code ${code}): ${stderr.trim().split('\n').slice(-5).join(' | ') || 'no RESULT line'}`));
    });
  });
}

async function inPool<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, lane));
  return out;
}

/** Expected macro F1 of guessing class j with probability q_j, given true class shares p: per class 2·p·q/(p+q). */
function guessingF1(shares: number[], guess: number[]): number {
  return shares.reduce((sum, p, j) => sum + (p + guess[j] > 0 ? (2 * p * guess[j]) / (p + guess[j]) : 0), 0) / shares.length;
}

function chance(task: TaskName, codes: readonly number[]): { accuracy: number; f1: number; baseline: string } {
  const classes = TASKS[task].codes;
  const counts = classes.map((c) => codes.filter((l) => l === c).length);
  const shares = counts.map((c) => c / codes.length);
  const majority = counts.indexOf(Math.max(...counts));
  const candidates = [
    { baseline: 'majority', f1: guessingF1(shares, shares.map((_, j) => (j === majority ? 1 : 0))) },
    { baseline: 'uniform guess', f1: guessingF1(shares, shares.map(() => 1 / classes.length)) },
    { baseline: 'frequency guess', f1: guessingF1(shares, shares) },
  ];
  const best = candidates.reduce((a, b) => (b.f1 > a.f1 ? b : a));
  return { accuracy: shares[majority], f1: best.f1, baseline: best.baseline };
}

const codeOf = (record: CaseRecord, task: TaskName): number | null => (task === 'malignancy' ? record.malignancy : record.labels[task]);

/** The labelled cases of `folds` for one task: true codes, predicted codes and class probabilities. */
function predictionsOf(task: TaskName, byId: Map<string, CaseRecord>, folds: readonly FoldResult[]) {
  const classes = TASKS[task].codes;
  const k = classes.length;
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const probabilities: Float32Array[] = [];
  for (const fold of folds) {
    fold.caseIds.forEach((id, i) => {
      const code = codeOf(byId.get(id) as CaseRecord, task);
      if (code === null) return;
      const row = Float32Array.from((fold.probabilities[task] ?? []).slice(i * k, (i + 1) * k));
      yTrue.push(code);
      yPred.push(classes[row.indexOf(Math.max(...row))]);
      probabilities.push(row);
    });
  }
  return { yTrue, yPred, probabilities, classes };
}

/** Scores the pooled out-of-fold predictions of one task (bootstrap over all pooled cases). */
function scorePooled(task: TaskName, byId: Map<string, CaseRecord>, folds: readonly FoldResult[]) {
  const predictions = predictionsOf(task, byId, folds);
  return { scores: scoreTask({ ...predictions, bootstrap: { resamples: 1000, level: 0.95, seed: 0 } }), yTrue: predictions.yTrue };
}

/** Macro F1 of one fold's own test cases, to show how much a single test part would swing. */
function foldF1(task: TaskName, byId: Map<string, CaseRecord>, fold: FoldResult): number {
  return scoreTask(predictionsOf(task, byId, [fold])).f1;
}

/** One row per case and task: to see which cases a model misses (faint ones? with which other labels?). */
function predictionsCsv(tasks: readonly TaskName[], byId: Map<string, CaseRecord>, folds: readonly FoldResult[]): string {
  const rows = ['case_id,fold,task,true,predicted,probabilities'];
  for (const fold of folds) {
    fold.caseIds.forEach((id, i) => {
      for (const task of tasks) {
        const classes = TASKS[task].codes;
        const row = (fold.probabilities[task] ?? []).slice(i * classes.length, (i + 1) * classes.length);
        const truth = codeOf(byId.get(id) as CaseRecord, task);
        const predicted = classes[row.indexOf(Math.max(...row))];
        rows.push([id, fold.fold, task, truth ?? '', predicted, row.map((p) => p.toFixed(4)).join(' ')].join(','));
      }
    });
  }
  return rows.join('\n') + '\n';
}

async function main(): Promise<void> {
  const o = program.parse().opts<Options>();
  if (o.worker !== undefined) return runWorker(o, o.worker, Number(o.fold));
  const size = Number(o.size);
  const k = Number(o.folds);
  const dir = o.phantom ?? (await mkdtemp(join(tmpdir(), 'ovus-phantom-learnability-')));
  try {
    const benchStarted = Date.now();
    if (o.phantom === undefined) {
      await synthesizePhantom({ outDir: dir, seed: Number(o.seed), cases: Number(o.cases), imageSize: Number(o.renderSize) });
    }
    const renderSeconds = (Date.now() - benchStarted) / 1000;
    const dataset = await loadPhantom(dir);
    console.log(
      (o.phantom === undefined
        ? `phantom seed ${o.seed}: ${dataset.cases.length} cases rendered at ${o.renderSize} px in ${renderSeconds.toFixed(1)} s; `
        : `phantom in ${o.phantom}: ${dataset.cases.length} cases; `) +
        `${k}-fold cross-validation (split seed ${o.splitSeed}), ${o.workers} fold(s) at a time, class weights '${o.classWeights}'`,
    );
    // Every option but the worker's own goes to the children, so they train exactly what was asked.
    const argv = [
      ...['--size', o.size, '--backbone', o.backbone, '--width', o.width, '--epochs', o.epochs, '--batch', o.batch, '--lr', o.lr],
      ...['--train-seed', o.trainSeed, '--class-weights', o.classWeights, '--folds', o.folds, '--validation-share', o.validationShare, '--split-seed', o.splitSeed, '--tasks', o.tasks],
    ];
    const trainingStarted = Date.now();
    const folds = await inPool(Array.from({ length: k }, (_, f) => f), Number(o.workers), (f) => trainFoldInChild(argv, dir, f));
    const trainingSeconds = (Date.now() - trainingStarted) / 1000;
    const byId = new Map(dataset.cases.map((c) => [c.caseId, c]));
    if (o.predictions) await writeFile(o.predictions, predictionsCsv(parseTaskList(o.tasks), byId, folds));
    const rows = parseTaskList(o.tasks).map((task) => {
      const { scores, yTrue } = scorePooled(task, byId, folds);
      const base = chance(task, yTrue);
      const lo = scores.ci?.f1.lo ?? Number.NaN;
      const verdict = lo > base.f1 ? 'yes' : scores.f1 > base.f1 ? 'not significantly' : 'no';
      const perFold = folds.map((f) => foldF1(task, byId, f));
      const trainF1 = folds.reduce((sum, f) => sum + (f.trainF1[task] ?? Number.NaN), 0) / folds.length;
      return [
        task,
        String(scores.n),
        scores.accuracy.toFixed(3),
        base.accuracy.toFixed(3),
        `${scores.f1.toFixed(3)} [${lo.toFixed(3)}, ${(scores.ci?.f1.hi ?? Number.NaN).toFixed(3)}]`,
        `${base.f1.toFixed(3)} (${base.baseline})`,
        scores.perClass.map((c) => `${c.class}:${c.f1.toFixed(2)}`).join(' '),
        `${Math.min(...perFold).toFixed(2)}–${Math.max(...perFold).toFixed(2)}`,
        trainF1.toFixed(3),
        verdict,
      ];
    });
    const sizes = folds.map((f) => `${f.sizes.train}/${f.sizes.validation}/${f.sizes.test}`).join(', ');
    const selected = folds.map((f) => f.selectedEpoch).join(', ');
    console.log(
      `\n${o.backbone} ×${o.width} at ${size} px on ${folds[0]?.backend}, ${o.epochs} epochs per fold, class weights '${o.classWeights}'. ` +
        `Folds (train/validation/test cases): ${sizes}; scored epochs (${Number(o.validationShare) > 0 ? 'best validation loss' : 'the last'}): ${selected}. ` +
        `Fold training times: ${folds.map((f) => f.trainSeconds.toFixed(0)).join(', ')} s.\n` +
        `Pooled out-of-fold predictions, every case scored once by a model that did not train on it:\n`,
    );
    console.log(
      table(['task', 'n', 'accuracy', 'majority acc', 'macro F1 [95% CI]', 'chance macro F1', 'F1 per class', 'fold F1 range', 'train F1', 'above chance'], rows),
    );
    console.log(
      `\nrender ${renderSeconds.toFixed(1)} s, training and scoring ${trainingSeconds.toFixed(0)} s, total ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`,
    );
    if (o.keep) console.log(`\nphantom kept in ${dir}`);
  } finally {
    if (!o.keep && o.phantom === undefined) await rm(dir, { recursive: true, force: true });
  }
}

await main();
