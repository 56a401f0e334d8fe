import { tf } from '@ovus/ml-engine';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// A file-system IOHandler for tfjs' layers-model format (model.json + .bin shards). tfjs' own
// 'file://' scheme lives in tfjs-node, which cannot be installed on these machines.

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** A folder holding model.json, or the path of a model.json file itself. */
export async function resolveModelJsonPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    throw new Error(`No model at '${path}': give the folder that holds model.json and its .bin weight files.`);
  }
  return info.isDirectory() ? join(path, MODEL_JSON) : path;
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  // Write then rename, so a crash mid-checkpoint never leaves a half-written file under the real name.
  const temporary = `${path}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

async function readJson(path: string): Promise<tf.io.ModelJSON> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `Cannot read '${path}' (${error.code ?? error.message}): give the folder that holds model.json, ` +
        `e.g. the output of tensorflowjs_converter or of saveModel.`,
    );
  });
  try {
    return JSON.parse(text) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`'${path}' is not valid JSON (${(error as Error).message}); it should be a tfjs model.json.`);
  }
}

/** Reads a layers-model folder: the parsed model.json and all weights, shards concatenated. */
export async function readModelArtifacts(path: string): Promise<tf.io.ModelArtifacts & { modelJsonPath: string }> {
  const modelJsonPath = await resolveModelJsonPath(path);
  const json = await readJson(modelJsonPath);
  if (!Array.isArray(json.weightsManifest)) {
    throw new Error(`'${modelJsonPath}' has no weightsManifest; it is not a tfjs layers-model model.json.`);
  }
  const folder = dirname(modelJsonPath);
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const shards: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const shard of group.paths) {
        const shardPath = join(folder, shard);
        const bytes = await readFile(shardPath).catch((error: NodeJS.ErrnoException) => {
          throw new Error(`'${modelJsonPath}' lists weight file '${shard}', which cannot be read at '${shardPath}' (${error.code}).`);
        });
        shards.push(toArrayBuffer(bytes));
      }
    }
    return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(shards)];
  });
  return { ...artifacts, modelJsonPath };
}

/** Writes artifacts as `<folder>/model.json` + `<folder>/weights.bin`. */
export async function writeModelArtifacts(folder: string, artifacts: tf.io.ModelArtifacts): Promise<void> {
  await mkdir(folder, { recursive: true });
  const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
  // tfjs' own getModelJSONForModelArtifacts is not exported; these are the fields it copies.
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    weightsManifest: manifest,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  await writeAtomically(join(folder, WEIGHTS_BIN), new Uint8Array(weights));
  await writeAtomically(join(folder, MODEL_JSON), JSON.stringify(json));
}

/**
 * An IOHandler over a folder, for tfjs' own `model.save(handler)` and `tf.loadLayersModel(handler)`
 * (plain tfjs models; multi-task models go through saveModel / loadModel).
 */
export function fileSystemIO(folder: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      await writeModelArtifacts(folder, artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      const { modelJsonPath: _unused, ...artifacts } = await readModelArtifacts(folder);
      return artifacts;
    },
  };
}
