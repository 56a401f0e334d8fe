// The configuration of one training run. Every field has a default except the dataset name, so a
// config file names only what differs from the paper-like defaults. Objects are strict: an unknown
// key is a typo until proven otherwise.
import { parseTaskList, TASKS, TASK_NAMES, type TaskName } from '@ovus/domain';
import { z } from 'zod';
import { FUSIONS } from '@ovus/ml-models';
import { BACKBONE_NAMES, imageSizeProblem, poolingProblem } from './backbones';

const taskList = z.union([z.string(), z.array(z.string())]).transform((spec, ctx): TaskName[] => {
  try {
    return parseTaskList(spec);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, input: spec });
    return z.NEVER;
  }
});

const probability = z.number().min(0).max(1);

export const EARLY_STOPPING_METRIC = /^(loss|mean\.(accuracy|f1)|[a-z_]+\.(loss|accuracy|f1|auc))$/;

export const trainConfigSchema = z
  .strictObject({
    dataset: z.strictObject({
      /** The imported dataset's name (`ovus import` or `ovus synth`). */
      name: z.string().min(1),
      /** 'latest', or the start (≥ 8 hex digits) of a version's content hash. */
      version: z.union([z.literal('latest'), z.string().regex(/^[0-9a-f]{8,64}$/)]).default('latest'),
    }),
    backbone: z.enum(BACKBONE_NAMES),
    backboneOptions: z
      .strictObject({
        /** Scales every layer's channels (Keras' alpha); < 1 makes small, fast variants. */
        widthMultiplier: z.number().gt(0).max(4).default(1),
        /** Scales how many blocks each stage repeats (at least one is kept). */
        depthMultiplier: z.number().gt(0).max(4).default(1),
        /** How the last feature map becomes a vector: 'avg', 'max', or 'token' (vit-b16 only). */
        pooling: z.enum(['avg', 'max', 'token']).default('avg'),
      })
      .default({ widthMultiplier: 1, depthMultiplier: 1, pooling: 'avg' }),
    /** The task heads on the fused features. */
    head: z
      .strictObject({
        /** Dropout on the fused features before the heads. */
        dropout: z.number().min(0).lt(1).default(0.2),
        /** Width of a ReLU hidden layer in each head; 0 for a linear softmax head (the paper's). */
        hidden: z.number().int().min(0).max(4096).default(0),
      })
      .default({ dropout: 0.2, hidden: 0 }),
    tasks: taskList.default([...TASK_NAMES]),
    /**
     * How BMUS and CEUS meet: 'shared' (one backbone for both images, features concatenated),
     * 'separate' (a backbone per modality), 'early' (the images stacked into 6 channels).
     */
    fusion: z.enum(FUSIONS).default('shared'),
    imageSize: z.number().default(224),
    epochs: z.number().int().min(1).default(30),
    batchSize: z.number().int().min(1).max(1024).default(8),
    /** Batches whose gradients are summed before one update (large images on small memory). */
    gradientAccumulationSteps: z.number().int().min(1).default(1),
    optimizer: z
      .strictObject({
        name: z.enum(['adam', 'sgd', 'adamw']).default('adam'),
        learningRate: z.number().gt(0).max(10).default(1e-4),
        weightDecay: z.number().min(0).max(1).default(0),
        /** Used by sgd only. */
        momentum: z.number().min(0).lt(1).default(0.9),
      })
      .default({ name: 'adam', learningRate: 1e-4, weightDecay: 0, momentum: 0.9 }),
    schedule: z
      .strictObject({
        kind: z.enum(['constant', 'cosine', 'step']).default('cosine'),
        warmupEpochs: z.number().int().min(0).default(0),
        /** cosine: the rate it decays to. */
        minLearningRate: z.number().min(0).default(0),
        /** step: multiply the rate by `gamma` every `stepEpochs`. */
        stepEpochs: z.number().int().min(1).default(10),
        gamma: z.number().gt(0).max(1).default(0.1),
      })
      .default({ kind: 'cosine', warmupEpochs: 0, minLearningRate: 0, stepEpochs: 10, gamma: 0.1 }),
    /** Seeds weight initialisation, shuffling and augmentation. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    split: z
      .strictObject({
        kind: z.enum(['holdout', 'kfold']).default('holdout'),
        /** Seeds the patient-level split; kept apart from `seed` so seeds vary training, not the test set. */
        seed: z.number().int().min(0).default(0),
        /** holdout: the parts' shares of the cases; they must add up to 1. */
        fractions: z
          .strictObject({ train: probability, validation: probability, test: probability })
          .default({ train: 0.7, validation: 0.1, test: 0.2 }),
        /** kfold: number of folds the non-test cases are divided into. */
        folds: z.number().int().min(2).max(20).default(5),
        /** kfold: which fold is the validation part (0-based). */
        fold: z.number().int().min(0).default(0),
        /** kfold: share of patients set aside as a test part shared by all folds (0 for none). */
        testFraction: z.number().min(0).lt(1).default(0.2),
      })
      .default({ kind: 'holdout', seed: 0, fractions: { train: 0.7, validation: 0.1, test: 0.2 }, folds: 5, fold: 0, testFraction: 0.2 }),
    backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    /** Seeded augmentation of each training pair (the names and defaults of @ovus/data's augmentPair). */
    augmentation: z
      .strictObject({
        enabled: z.boolean().default(true),
        flipProbability: probability.default(0.5),
        maxRotationDeg: z.number().min(0).max(45).default(10),
        /** Largest additive brightness change (image range 0..1). */
        brightness: z.number().min(0).max(1).default(0.08),
        /** Contrast factor drawn in [1 - contrast, 1 + contrast]. */
        contrast: z.number().min(0).max(1).default(0.2),
        /** Multiplicative speckle noise strength. */
        speckle: z.number().min(0).max(1).default(0.1),
      })
      .default({ enabled: true, flipProbability: 0.5, maxRotationDeg: 10, brightness: 0.08, contrast: 0.2, speckle: 0.1 }),
    /** null: train all epochs. */
    earlyStopping: z
      .strictObject({
        /** 'loss', 'mean.accuracy|f1', or '<task>.loss|accuracy|f1|auc' on the validation part. */
        metric: z.string().regex(EARLY_STOPPING_METRIC).default('loss'),
        patience: z.number().int().min(1).default(10),
      })
      .nullable()
      .default({ metric: 'loss', patience: 10 }),
    /** Epochs at the start during which only the heads learn. */
    freezeBackboneEpochs: z.number().int().min(0).default(0),
    /**
     * ImageNet weights for the backbone, as a tfjs layers-model folder (model.json + weight files),
     * or a folder of such folders named after the backbones (<folder>/<backbone>/model.json), so
     * one setting serves a whole sweep. null: random initialisation.
     */
    pretrainedWeights: z.string().min(1).nullable().default(null),
    /** Weight of each task's cross-entropy in the summed loss (paper: all 1). */
    taskWeights: z.record(z.string(), z.number().min(0)).default({}),
    /** 'none', 'balanced' (inverse class frequency on the training part), or weights per task. */
    classWeights: z
      .union([z.enum(['none', 'balanced']), z.record(z.string(), z.array(z.number().min(0)))])
      .default('none'),
    /**
     * Moving-average momentum of every batch-norm layer. Keras' MobileNets use 0.999, which leaves
     * the statistics near their initial values for runs of a few hundred steps, so inference would
     * ignore what training learned; 0.9 (PyTorch's default) suits small datasets. null keeps each
     * backbone's own value.
     */
    batchNormMomentum: z.number().min(0).lt(1).nullable().default(0.9),
    evaluation: z
      .strictObject({
        bootstrapResamples: z.number().int().min(0).max(100_000).default(1000),
        confidenceLevel: z.number().gt(0).lt(1).default(0.95),
      })
      .default({ bootstrapResamples: 1000, confidenceLevel: 0.95 }),
  })
  .superRefine((config, ctx) => {
    const problem = imageSizeProblem(config.backbone, config.imageSize);
    if (problem) ctx.addIssue({ code: 'custom', path: ['imageSize'], message: problem, input: config.imageSize });
    const pooling = poolingProblem(config.backbone, config.backboneOptions.pooling);
    if (pooling) ctx.addIssue({ code: 'custom', path: ['backboneOptions', 'pooling'], message: pooling });

    const { split } = config;
    const fractionSum = split.fractions.train + split.fractions.validation + split.fractions.test;
    if (split.kind === 'holdout' && Math.abs(fractionSum - 1) > 1e-6) {
      ctx.addIssue({ code: 'custom', path: ['split', 'fractions'], message: `the fractions add up to ${fractionSum}; they must add up to 1` });
    }
    if (split.kind === 'kfold' && split.fold >= split.folds) {
      ctx.addIssue({ code: 'custom', path: ['split', 'fold'], message: `fold ${split.fold} does not exist with ${split.folds} folds; use 0 to ${split.folds - 1}` });
    }
    if (config.freezeBackboneEpochs > config.epochs) {
      ctx.addIssue({ code: 'custom', path: ['freezeBackboneEpochs'], message: `${config.freezeBackboneEpochs} frozen epochs is more than the ${config.epochs} epochs trained` });
    }
    if (config.schedule.warmupEpochs >= config.epochs && config.schedule.warmupEpochs > 0) {
      ctx.addIssue({ code: 'custom', path: ['schedule', 'warmupEpochs'], message: `warm-up (${config.schedule.warmupEpochs} epochs) must be shorter than training (${config.epochs} epochs)` });
    }
    const metricTask = config.earlyStopping?.metric.split('.')[0];
    if (metricTask && metricTask !== 'loss' && metricTask !== 'mean' && !config.tasks.includes(metricTask as TaskName)) {
      ctx.addIssue({
        code: 'custom',
        path: ['earlyStopping', 'metric'],
        message: `early stopping watches task '${metricTask}', which this run does not train; trained tasks: ${config.tasks.join(', ')}`,
      });
    }
    for (const task of Object.keys(config.taskWeights)) {
      if (!config.tasks.includes(task as TaskName)) {
        ctx.addIssue({ code: 'custom', path: ['taskWeights', task], message: `task '${task}' is not trained by this run; trained tasks: ${config.tasks.join(', ')}` });
      }
    }
    if (typeof config.classWeights === 'object') {
      for (const [task, weights] of Object.entries(config.classWeights)) {
        if (!config.tasks.includes(task as TaskName)) {
          ctx.addIssue({ code: 'custom', path: ['classWeights', task], message: `task '${task}' is not trained by this run; trained tasks: ${config.tasks.join(', ')}` });
        } else if (weights.length !== TASKS[task as TaskName].codes.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['classWeights', task],
            message: `task '${task}' has ${TASKS[task as TaskName].codes.length} classes (codes ${TASKS[task as TaskName].codes.join(', ')}); give one weight each, not ${weights.length}`,
          });
        }
      }
    }
  });

/** A complete, validated run configuration (defaults filled in). */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** What a config file may contain before defaults. */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
