import { tf } from '@ovus/ml-engine';
import { TASKS, TASK_NAMES, isTaskName, type TaskName } from '@ovus/domain';
import type { BackboneOptions } from './backbone-options';
import { call, type Sym } from './backbones/blocks';
import { ModalityStack, ModalityUnstack } from './layers/modality-stack';
import { createBackbone } from './registry';
import { readModelMetadata, writeModelMetadata } from './model-metadata';

/**
 * How BMUS and CEUS meet:
 * - 'shared':   one backbone (one set of weights) applied to both images (as one batch of 2n);
 *               each case's two feature vectors concatenated.
 * - 'separate': one backbone per modality; features concatenated.
 * - 'early':    the two images stacked into 6 channels before a single backbone.
 */
export type Fusion = 'shared' | 'separate' | 'early';

export const FUSIONS: readonly Fusion[] = ['shared', 'separate', 'early'];

/** Backbone options the multi-task model decides itself are left out. */
export type MultiTaskBackboneOptions = Omit<BackboneOptions, 'inputSize' | 'inputChannels' | 'modelName'>;

export interface MultiTaskModelConfig {
  backbone: string;
  backboneOptions?: MultiTaskBackboneOptions;
  /** Any subset of the 7 clinical parameters and malignancy; heads follow the canonical task order. */
  tasks: readonly TaskName[];
  fusion?: Fusion;
  inputSize: number;
  /** Dropout on the fused features before the heads. Default 0.2. */
  dropout?: number;
  /** Width of an optional ReLU hidden layer in each head; 0 or absent for a linear softmax head. */
  headHidden?: number;
}

export type ResolvedMultiTaskConfig = Required<Omit<MultiTaskModelConfig, 'tasks'>> & { tasks: TaskName[] };

export const BACKBONE_LAYER_NAMES = ['backbone', 'bmus_backbone', 'ceus_backbone'] as const;

export function resolveMultiTaskConfig(config: MultiTaskModelConfig): ResolvedMultiTaskConfig {
  const unknown = config.tasks.filter((t) => !isTaskName(t));
  if (unknown.length > 0) {
    throw new RangeError(`Unknown task(s) ${unknown.join(', ')}. Valid tasks: ${TASK_NAMES.join(', ')}.`);
  }
  const tasks = TASK_NAMES.filter((t) => config.tasks.includes(t));
  if (tasks.length === 0) throw new RangeError('The model needs at least one task; tasks is empty.');
  const fusion = config.fusion ?? 'shared';
  if (!FUSIONS.includes(fusion)) {
    throw new RangeError(`Unknown fusion '${fusion}'; use one of ${FUSIONS.join(', ')}.`);
  }
  const dropout = config.dropout ?? 0.2;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1); got ${dropout}.`);
  const headHidden = config.headHidden ?? 0;
  if (!Number.isInteger(headHidden) || headHidden < 0) {
    throw new RangeError(`headHidden must be a non-negative integer; got ${headHidden}.`);
  }
  return {
    backbone: config.backbone,
    backboneOptions: { ...config.backboneOptions },
    tasks,
    fusion,
    inputSize: config.inputSize,
    dropout,
    headHidden,
  };
}

function backboneFeatures(bmus: Sym, ceus: Sym, config: ResolvedMultiTaskConfig): Sym {
  const make = (modelName: string, inputChannels = 3): tf.LayersModel =>
    createBackbone(config.backbone, {
      ...config.backboneOptions,
      inputSize: config.inputSize,
      inputChannels,
      modelName,
    });
  const concat = (name: string, inputs: Sym[]): Sym => call(tf.layers.concatenate({ axis: -1, name }), inputs);
  switch (config.fusion) {
    case 'shared': {
      const stacked = call(new ModalityStack({ name: 'modality_stack' }), [bmus, ceus]);
      return call(new ModalityUnstack({ name: 'fused_features' }), call(make('backbone'), stacked));
    }
    case 'separate':
      return concat('fused_features', [call(make('bmus_backbone'), bmus), call(make('ceus_backbone'), ceus)]);
    case 'early':
      return call(make('backbone', 6), concat('early_fusion', [bmus, ceus]));
  }
}

/**
 * The paper's multi-modal multi-task model: inputs `bmus` and `ceus` (images in [0, 1]), one
 * softmax output per task, named after the task, in canonical task order. Echogenicity has four
 * outputs, for codes 0, 1, 3, 4 (see codeToIndex).
 */
export function buildMultiTaskModel(config: MultiTaskModelConfig): tf.LayersModel {
  const resolved = resolveMultiTaskConfig(config);
  const shape = [resolved.inputSize, resolved.inputSize, 3];
  const bmus = tf.input({ shape, name: 'bmus' });
  const ceus = tf.input({ shape, name: 'ceus' });
  let features = backboneFeatures(bmus, ceus, resolved);
  if (resolved.dropout > 0) features = call(tf.layers.dropout({ rate: resolved.dropout, name: 'head_dropout' }), features);
  const outputs = resolved.tasks.map((task) => {
    let x = features;
    if (resolved.headHidden > 0) {
      x = call(tf.layers.dense({ units: resolved.headHidden, activation: 'relu', name: `${task}_hidden` }), x);
    }
    return call(tf.layers.dense({ units: TASKS[task].codes.length, activation: 'softmax', name: task }), x);
  });
  const model = tf.model({ inputs: [bmus, ceus], outputs, name: `multitask_${resolved.backbone}` });
  writeModelMetadata(model, { kind: 'multi-task', config: resolved });
  return model;
}

/** The backbone sub-models of a multi-task model (one, or two for 'separate' fusion). */
export function getBackbones(model: tf.LayersModel): tf.LayersModel[] {
  return model.layers.filter(
    (layer): layer is tf.LayersModel =>
      layer instanceof tf.LayersModel && (BACKBONE_LAYER_NAMES as readonly string[]).includes(layer.name),
  );
}

/** The tasks a multi-task model predicts, in output order. */
export function getModelTasks(model: tf.LayersModel): TaskName[] {
  const metadata = readModelMetadata(model);
  if (metadata?.kind !== 'multi-task') {
    throw new TypeError(
      `Model '${model.name}' is not a multi-task model built by buildMultiTaskModel (or loaded with loadModel).`,
    );
  }
  return metadata.config.tasks;
}

/** Sets `trainable` on a layer and, for nested models, on every layer inside (batch norm reads its own flag). */
export function setLayerTrainable(layer: tf.layers.Layer, trainable: boolean): void {
  if (layer instanceof tf.LayersModel) layer.layers.forEach((inner) => setLayerTrainable(inner, trainable));
  layer.trainable = trainable;
}

/**
 * Freezes or unfreezes the backbone(s) for fine-tuning. A frozen backbone's weights leave
 * `model.trainableWeights` and its batch-norm layers use their moving statistics (Keras semantics).
 * Adam keeps its moments by position, so make a new optimizer and train step after changing this.
 */
export function setBackboneTrainable(model: tf.LayersModel, trainable: boolean): void {
  const backbones = getBackbones(model);
  if (backbones.length === 0) {
    throw new TypeError(`Model '${model.name}' has no backbone layer (expected one named ${BACKBONE_LAYER_NAMES.join(' / ')}).`);
  }
  backbones.forEach((backbone) => setLayerTrainable(backbone, trainable));
}

export function isBackboneTrainable(model: tf.LayersModel): boolean {
  return getBackbones(model).every((backbone) => backbone.trainable);
}
