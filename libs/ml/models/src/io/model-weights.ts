import { tf } from '@ovus/ml-engine';

/** One weight of a model with a name that is unique within it and stable across builds. */
export interface NamedModelWeight {
  /** Nested-model path: 'backbone/Conv1/kernel' in a multi-task model, 'Conv1/kernel' in a backbone. */
  path: string;
  /** `<layer name>/<weight name>` — what Keras and converted checkpoints call it. */
  leaf: string;
  variable: tf.LayerVariable;
}

// tfjs names variables globally ('Conv1/kernel_3' when four models were built) and leaves two
// backbones with the same layer names ('separate' fusion) with equal `originalName`s, so neither
// identifies a weight across processes. The path through nested model names does.
function weightName(layer: tf.layers.Layer, variable: tf.LayerVariable): string {
  const prefix = `${layer.name}/`;
  const original = variable.originalName;
  return original.startsWith(prefix) ? original.slice(prefix.length) : original.slice(original.lastIndexOf('/') + 1);
}

export function listModelWeights(model: tf.LayersModel, prefix = ''): NamedModelWeight[] {
  const out: NamedModelWeight[] = [];
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) {
      out.push(...listModelWeights(layer, `${prefix}${layer.name}/`));
      continue;
    }
    for (const variable of layer.weights) {
      const leaf = `${layer.name}/${weightName(layer, variable)}`;
      out.push({ path: `${prefix}${leaf}`, leaf, variable });
    }
  }
  return out;
}

/** Path of each of `model.trainableWeights`, in that order (the order the train step differentiates). */
export function trainableWeightPaths(model: tf.LayersModel): string[] {
  const byVariable = new Map(listModelWeights(model).map((w) => [w.variable, w.path]));
  return model.trainableWeights.map((variable) => {
    const path = byVariable.get(variable);
    if (path === undefined) throw new Error(`Trainable weight '${variable.name}' is not reachable through the model's layers.`);
    return path;
  });
}
