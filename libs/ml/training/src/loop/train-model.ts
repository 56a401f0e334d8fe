// The epoch loop: seeded model and data order, batches from preloaded images, an optimiser step
// per batch (or per accumulated batches), validation after every epoch for model selection and
// early stopping, a checkpoint at the end of every epoch, and the test part scored once, at the
// end, with the selected weights. Storage is the caller's (callbacks); the loop never waits on it
// except where a callback asks to be awaited.
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '@ovus/ml-engine';
import type { TaskName } from '@ovus/domain';
import { canonicalJson, deriveRng, shuffled } from '@ovus/data';
import {
  balancedClassWeights,
  buildMultiTaskModel,
  formatWeightLoadReport,
  getModelTasks,
  isBackboneTrainable,
  loadBackboneWeights,
  loadModel,
  resolveMultiTaskConfig,
  saveModel,
  setBackboneTrainable,
  type MultiTaskLossOptions,
  type PerTask,
} from '@ovus/ml-models';
import { assembleBatch, batchTensors, chunk } from './batches';
import { setBatchNormMomentum } from './batch-norm';
import { readCheckpoint, writeCheckpoint, type TrainingState } from './checkpoint';
import { casePredictions, predictPart, scorePart, summarizePart, type ValidationSummary } from './evaluation';
import type { TrainingCallbacks, TrainingOutcome } from './events';
import { learningRateForEpoch } from './learning-rate';
import { selectionMetricOf, type LoopConfig } from './loop-config';
import { createLoopStep, type LoopStep } from './loop-step';
import { createOptimizer, setLearningRate } from './optimizers';
import { partSize, type RunData } from './run-data';
import { isImprovement, parseSelectionMetric } from './selection';
import { withSeededMathRandom, yieldToEventLoop } from './seeded-random';

export interface ResumePoint {
  /** A checkpoint folder written by this loop (unpacked from its bundle). */
  checkpointDir: string;
  /** The best model so far (saveModel folder), when the checkpoint's best epoch is not its last. */
  bestModelDir: string | null;
}

export interface TrainModelOptions {
  config: LoopConfig;
  data: RunData;
  /** Where checkpoints are written (`checkpoint/`, `best/`). */
  workDir: string;
  resume?: ResumePoint | null;
  /** Checked before every batch; the run stops with the signal's reason. */
  signal?: AbortSignal;
  callbacks?: TrainingCallbacks;
  /** Pairs per inference forward pass (default 32). */
  predictBatchSize?: number;
}

const AUGMENTATION_KEYS = ['flipProbability', 'maxRotationDeg', 'brightness', 'contrast', 'speckle'] as const;

export async function trainModel(options: TrainModelOptions): Promise<TrainingOutcome> {
  const { config, data, callbacks = {}, signal } = options;
  checkPlan(config, data);
  const metric = parseSelectionMetric(selectionMetricOf(config));
  const checkpointDir = join(options.workDir, 'checkpoint');
  const bestDir = join(options.workDir, 'best');
  await mkdir(options.workDir, { recursive: true });

  const start = await startingPoint(config, options.resume ?? null, callbacks);
  const { model } = start;
  // Not part of the saved architecture: set on every build and every resume alike.
  if (config.batchNormMomentum !== null) setBatchNormMomentum(model, config.batchNormMomentum);
  let { optimizer } = start;
  let state = start.state;
  let bestSource = start.bestSource;
  const tasks = getModelTasks(model);
  const lossOptions = lossOptionsFor(config, data, tasks);
  const makeStep = () =>
    createLoopStep(model, optimizer, {
      loss: lossOptions,
      weightDecay: config.optimizer.weightDecay,
      decoupledWeightDecay: config.optimizer.name === 'adamw',
    });
  let step: LoopStep = makeStep();
  const predictBatchSize = options.predictBatchSize ?? 32;

  try {
    const trainCount = partSize(data.train);
    const stepsPerEpoch = Math.ceil(trainCount / config.batchSize);
    const hasValidation = partSize(data.validation) > 0;
    callbacks.onStart?.({
      epochs: config.epochs,
      startEpoch: state.epoch + 1,
      stepsPerEpoch,
      batchSize: config.batchSize,
      trainCases: trainCount,
      validationCases: partSize(data.validation),
      testCases: partSize(data.test),
      resumed: options.resume != null,
    });
    const augmentationOptions = Object.fromEntries(AUGMENTATION_KEYS.map((k) => [k, config.augmentation[k]]));
    const indices = Array.from({ length: trainCount }, (_, i) => i);
    let trainingMs = 0;

    for (let epoch = state.epoch + 1; epoch <= config.epochs && !state.stoppedEarly; epoch++) {
      const epochStarted = performance.now();
      // Heads only for the first freezeBackboneEpochs; a changed trainable set needs a new
      // optimizer (its slots are positional) and so a new step.
      const frozen = epoch <= config.freezeBackboneEpochs;
      if (isBackboneTrainable(model) === frozen) {
        setBackboneTrainable(model, !frozen);
        step.dispose();
        optimizer.dispose();
        optimizer = createOptimizer(config.optimizer, config.optimizer.learningRate);
        step = makeStep();
      }
      const learningRate = learningRateForEpoch(epoch, config.epochs, config.optimizer.learningRate, config.schedule);
      setLearningRate(optimizer, learningRate);

      const order = shuffled(deriveRng(config.seed, 'shuffle', epoch), indices);
      const augmentation = config.augmentation.enabled ? { rng: deriveRng(config.seed, 'augment', epoch), options: augmentationOptions } : undefined;
      const dropout = deriveRng(config.seed, 'dropout', epoch);
      const batches = chunk(order, config.batchSize);
      const lossSums = { total: 0, perTask: Object.fromEntries(tasks.map((t) => [t, 0])) as Record<TaskName, number> };
      let globalStep = state.globalStep;

      for (const [b, rows] of batches.entries()) {
        signal?.throwIfAborted();
        const tensors = batchTensors(assembleBatch(data.train, rows, tasks, augmentation));
        let losses;
        try {
          losses = withSeededMathRandom(dropout, () => step.accumulate(tensors));
        } finally {
          tf.dispose([tensors.bmus, tensors.ceus]);
        }
        if (step.pending >= config.gradientAccumulationSteps || b === batches.length - 1) step.apply(learningRate);
        globalStep += 1;
        lossSums.total += losses.total * rows.length;
        for (const task of tasks) lossSums.perTask[task] += (losses.perTask[task] as number) * rows.length;
        callbacks.onStep?.({ epoch, step: b + 1, stepsPerEpoch, globalStep, examples: rows.length, learningRate, losses });
        // Lets lease heartbeats and the tracking flusher run between synchronous steps.
        await yieldToEventLoop();
      }
      const trainedMs = performance.now() - epochStarted;
      trainingMs += trainedMs;

      let validation: ValidationSummary | null = null;
      if (hasValidation) {
        const probabilities = await predictPart(model, data.validation, tasks, { batchSize: predictBatchSize, signal });
        validation = summarizePart(tasks, data.validation, probabilities, config.taskWeights);
      }
      // Without a validation part every epoch is "best": the last one is scored.
      const value = validation ? metric.read(validation) : null;
      const improved = validation ? isImprovement(metric, value as number, state.selection.bestValue) : true;
      const selection = improved
        ? { metric: metric.name, bestEpoch: epoch, bestValue: value, epochsWithoutImprovement: 0 }
        : { ...state.selection, epochsWithoutImprovement: state.selection.epochsWithoutImprovement + 1 };
      const patience = config.earlyStopping?.patience;
      const stoppedEarly = patience !== undefined && selection.epochsWithoutImprovement >= patience && epoch < config.epochs;

      callbacks.onEpoch?.({
        epoch,
        globalStep,
        learningRate,
        trainLoss: {
          total: lossSums.total / trainCount,
          perTask: Object.fromEntries(tasks.map((t) => [t, lossSums.perTask[t] / trainCount])),
        },
        validation,
        selection: { metric: metric.name, value, improved, bestEpoch: selection.bestEpoch, bestValue: selection.bestValue },
        backboneFrozen: frozen,
        durationMs: performance.now() - epochStarted,
        examplesPerSecond: trainCount / (trainedMs / 1000),
      });
      if (improved && validation) {
        await saveModel(model, bestDir);
        bestSource = bestDir;
        await callbacks.onBestModel?.({ epoch, dir: bestDir });
      }
      state = {
        ...state,
        epoch,
        globalStep,
        learningRate,
        selection,
        stoppedEarly,
        rng: { scheme: 'derived-per-epoch', seed: config.seed, nextEpoch: epoch + 1 },
      };
      await writeCheckpoint(checkpointDir, model, optimizer, config.optimizer, state);
      await callbacks.onCheckpoint?.({ epoch, globalStep, dir: checkpointDir, state });
      if (stoppedEarly) {
        callbacks.onLog?.(`early stop after epoch ${epoch}: ${metric.name} has not improved for ${patience} epochs (best ${selection.bestValue} at epoch ${selection.bestEpoch})`);
      }
    }

    // The test part is looked at here, once, with the weights validation chose.
    const evaluationStarted = performance.now();
    const selectedEpoch = state.selection.bestEpoch ?? state.epoch;
    const useSaved = hasValidation && selectedEpoch !== state.epoch;
    if (useSaved && bestSource === null) {
      throw new Error(`The best model (epoch ${selectedEpoch}) is needed for the final scores, but no folder holds it; resume with its bestModelDir.`);
    }
    const scored = useSaved ? (await loadModel(bestSource as string)).model : model;
    try {
      const score = async (part: RunData['validation']) => {
        const probabilities = await predictPart(scored, part, tasks, { batchSize: predictBatchSize, signal });
        const scores = scorePart(tasks, part, probabilities, {
          bootstrapResamples: config.evaluation.bootstrapResamples,
          confidenceLevel: config.evaluation.confidenceLevel,
          seed: config.seed,
        });
        return { scores, predictions: casePredictions(tasks, part, probabilities) };
      };
      const validation = await score(data.validation);
      const test = await score(data.test);
      const results = { validation: validation.scores, test: test.scores };
      const predictions = { validation: validation.predictions, test: test.predictions };
      return {
        epochsCompleted: state.epoch,
        globalStep: state.globalStep,
        stoppedEarly: state.stoppedEarly,
        selectedEpoch,
        selection: { metric: metric.name, value: state.selection.bestValue },
        results,
        predictions,
        timings: { trainingMs, evaluationMs: performance.now() - evaluationStarted },
      };
    } finally {
      if (scored !== model) scored.dispose();
    }
  } finally {
    step.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

function checkPlan(config: LoopConfig, data: RunData): void {
  if (partSize(data.train) === 0) throw new RangeError('The training part of the split has no cases; nothing can be trained.');
  if (data.imageSize !== config.model.inputSize) {
    throw new RangeError(`The data was prepared at ${data.imageSize} px but the model takes ${config.model.inputSize} px; prepare it at the model's size.`);
  }
  const missing = config.model.tasks.filter((t) => !data.tasks.includes(t));
  if (missing.length > 0) throw new RangeError(`The data has no labels prepared for ${missing.join(', ')}; prepare it with every task the model trains.`);
  if (config.earlyStopping && partSize(data.validation) === 0) {
    throw new RangeError('Early stopping needs a validation part, but the split has none: give split.fractions.validation > 0, or set earlyStopping to null.');
  }
  if (!Number.isInteger(config.gradientAccumulationSteps) || config.gradientAccumulationSteps < 1) {
    throw new RangeError(`gradientAccumulationSteps must be a whole number ≥ 1; got ${config.gradientAccumulationSteps}.`);
  }
}

interface StartingPoint {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  state: TrainingState;
  bestSource: string | null;
}

async function startingPoint(config: LoopConfig, resume: ResumePoint | null, callbacks: TrainingCallbacks): Promise<StartingPoint> {
  if (resume) {
    const loaded = await readCheckpoint(resume.checkpointDir, config.optimizer);
    const expected = canonicalJson({ kind: 'multi-task', config: resolveMultiTaskConfig(config.model) });
    if (canonicalJson(loaded.build) !== expected) {
      loaded.model.dispose();
      loaded.optimizer.dispose();
      throw new Error(`The checkpoint in ${resume.checkpointDir} holds another model than this run's config describes; it cannot be resumed.`);
    }
    callbacks.onLog?.(`resuming after epoch ${loaded.state.epoch} (step ${loaded.state.globalStep}) from ${resume.checkpointDir}`);
    return { model: loaded.model, optimizer: loaded.optimizer, state: loaded.state, bestSource: resume.bestModelDir };
  }
  const model = withSeededMathRandom(deriveRng(config.seed, 'init'), () => buildMultiTaskModel(config.model));
  try {
    if (config.pretrainedWeights) {
      const source = await pretrainedSource(config.pretrainedWeights, config.model.backbone);
      callbacks.onLog?.(formatWeightLoadReport(await loadBackboneWeights(model, source)));
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  const state: TrainingState = {
    format: 'ovus-training-state',
    version: 1,
    epoch: 0,
    globalStep: 0,
    optimizer: config.optimizer.name,
    learningRate: config.optimizer.learningRate,
    selection: { metric: selectionMetricOf(config), bestEpoch: null, bestValue: null, epochsWithoutImprovement: 0 },
    stoppedEarly: false,
    rng: { scheme: 'derived-per-epoch', seed: config.seed, nextEpoch: 1 },
  };
  return { model, optimizer: createOptimizer(config.optimizer, config.optimizer.learningRate), state, bestSource: null };
}

/** `<folder>/<backbone>/model.json` when the folder holds one per backbone, else the folder itself. */
async function pretrainedSource(folder: string, backbone: string): Promise<string> {
  const perBackbone = join(folder, backbone);
  try {
    await access(join(perBackbone, 'model.json'));
    return perBackbone;
  } catch {
    return folder;
  }
}

function lossOptionsFor(config: LoopConfig, data: RunData, tasks: readonly TaskName[]): MultiTaskLossOptions {
  const options: MultiTaskLossOptions = { taskWeights: { ...config.taskWeights } };
  if (config.classWeights === 'balanced') {
    options.classWeights = Object.fromEntries(tasks.map((t) => [t, balancedClassWeights(t, data.train.labels[t] as Int32Array)])) as PerTask<number[]>;
  } else if (config.classWeights !== 'none') {
    options.classWeights = { ...config.classWeights };
  }
  return options;
}
