import { tf } from '@ovus/ml-engine';
import { z } from 'zod';
import { parseModelBuildConfig, readModelMetadata, type ModelBuildConfig } from '../model-metadata';
import { buildMultiTaskModel, getBackbones, isBackboneTrainable, setBackboneTrainable, setLayerTrainable } from '../multitask-model';
import { createBackbone } from '../registry';
import { readModelArtifacts, writeModelArtifacts } from './file-system-io';
import { listModelWeights } from './model-weights';

// Checkpoints: model.json (tfjs layers format, with the build config in userDefinedMetadata) and
// weights.bin, weights named by their nested-model path. Loading rebuilds the model from the build
// config and fills every weight by path, so custom layers, shared backbones and two backbones with
// equal layer names all round-trip.

const stateSchema = z.object({ backboneTrainable: z.boolean() });

/** Builds the architecture a build config describes, with fresh weights. */
export function buildModel(build: ModelBuildConfig): tf.LayersModel {
  return build.kind === 'backbone' ? createBackbone(build.backbone, build.options) : buildMultiTaskModel(build.config);
}

function backboneTrainable(model: tf.LayersModel, build: ModelBuildConfig): boolean {
  return build.kind === 'backbone' ? model.trainable : isBackboneTrainable(model);
}

export async function saveModel(model: tf.LayersModel, folder: string): Promise<void> {
  const build = readModelMetadata(model);
  if (build === null) {
    throw new TypeError(
      `Model '${model.name}' carries no build config; saveModel takes models made by createBackbone or buildMultiTaskModel.`,
    );
  }
  const weights = listModelWeights(model);
  const { data, specs } = await tf.io.encodeWeights(weights.map((w) => ({ name: w.path, tensor: w.variable.read() })));
  await writeModelArtifacts(folder, {
    modelTopology: model.toJSON(null, false) as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: data,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers} via @ovus/ml-models`,
    convertedBy: null,
    userDefinedMetadata: { ovus: build, ovusState: { backboneTrainable: backboneTrainable(model, build) } },
  });
}

export interface LoadedModel {
  model: tf.LayersModel;
  build: ModelBuildConfig;
}

/** Loads a folder written by saveModel: rebuilds the architecture and restores every weight. */
export async function loadModel(folder: string): Promise<LoadedModel> {
  const artifacts = await readModelArtifacts(folder);
  const where = artifacts.modelJsonPath;
  const metadata = (artifacts.userDefinedMetadata ?? {}) as Record<string, unknown>;
  if (metadata.ovus === undefined) {
    throw new Error(
      `'${where}' has no ovus build config; it was not written by saveModel. ` +
        `For pretrained weights from other tools use loadBackboneWeights on a model you build.`,
    );
  }
  const build = parseModelBuildConfig(metadata.ovus, `'${where}'`);
  const state = stateSchema.safeParse(metadata.ovusState);
  const tensors = tf.io.decodeWeights(artifacts.weightData ?? [], artifacts.weightSpecs ?? []);
  const model = buildModel(build);
  try {
    const targets = listModelWeights(model);
    const problems: string[] = [];
    for (const { path, variable } of targets) {
      const tensor = tensors[path];
      if (tensor === undefined) problems.push(`${path}: missing from the file`);
      else if (!tf.util.arraysEqual(tensor.shape, variable.shape as number[])) {
        problems.push(`${path}: file has [${tensor.shape}], model needs [${variable.shape}]`);
      }
    }
    const expected = new Set(targets.map((t) => t.path));
    for (const name of Object.keys(tensors)) if (!expected.has(name)) problems.push(`${name}: in the file but not in the model`);
    if (problems.length > 0) {
      throw new Error(
        `'${where}' does not match the model its build config describes (${problems.length} problem(s)): ` +
          `${problems.slice(0, 10).join('; ')}${problems.length > 10 ? '; …' : ''}. The files may be damaged or from another version.`,
      );
    }
    for (const { path, variable } of targets) variable.write(tensors[path]);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  if (state.success && !state.data.backboneTrainable) {
    if (build.kind === 'backbone') setLayerTrainable(model, false);
    else if (getBackbones(model).length > 0) setBackboneTrainable(model, false);
  }
  return { model, build };
}
