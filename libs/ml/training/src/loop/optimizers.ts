// The run's optimizer: made from the settings, its rate set per epoch, and its state saved and
// restored with a checkpoint. Adam (adam, adamw) state goes through @ovus/ml-models' tested
// save/load; SGD with momentum has one slot per weight and is saved here the same way (keyed by
// the weight's model path, since tfjs' variable names change from process to process).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAdamOptimizer, tf } from '@ovus/ml-engine';
import { listModelWeights, loadOptimizerState, saveOptimizerState, trainableWeightPaths } from '@ovus/ml-models';
import { z } from 'zod';
import type { OptimizerSettings } from './loop-config';

export function createOptimizer(settings: OptimizerSettings, learningRate: number): tf.Optimizer {
  switch (settings.name) {
    case 'adam':
    case 'adamw':
      // @ovus/ml-engine's fused Adam: the same state and numbers as tf.train.adam, one kernel per weight.
      return createAdamOptimizer(learningRate);
    case 'sgd':
      return tf.train.momentum(learningRate, settings.momentum);
  }
}

export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // By class name: tfjs' optimizer classes are not reliably distinguishable with instanceof here.
  switch (optimizer.getClassName()) {
    case 'Momentum':
    case 'SGD':
      // Momentum and SGD cache -rate as a scalar; setLearningRate replaces it.
      (optimizer as tf.SGDOptimizer).setLearningRate(learningRate);
      return;
    case 'Adam':
      // tfjs declares Adam's rate protected and has no setter, but reads the field on every update.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      return;
    default:
      throw new TypeError(`Cannot set the learning rate of a ${optimizer.getClassName()} optimizer.`);
  }
}

const SGD_JSON = 'sgd-optimizer.json';
const SGD_BIN = 'sgd-optimizer.bin';

const sgdFileSchema = z.object({
  format: z.literal('ovus-momentum-state'),
  version: z.literal(1),
  iterations: z.number().int().min(0),
  weightSpecs: z.array(z.custom<tf.io.WeightsManifestEntry>((v) => typeof v === 'object' && v !== null)),
});

export async function saveOptimizer(optimizer: tf.Optimizer, settings: OptimizerSettings, model: tf.LayersModel, folder: string): Promise<void> {
  if (settings.name !== 'sgd') {
    await saveOptimizerState(optimizer, model, folder);
    return;
  }
  const pathOf = new Map(listModelWeights(model).map((w) => [w.variable.name, w.path]));
  const [iteration, ...slots] = await optimizer.getWeights();
  const named = slots.map(({ name, tensor }) => {
    const variableName = name.slice(0, name.lastIndexOf('/'));
    const path = pathOf.get(variableName);
    if (path === undefined) throw new Error(`The optimizer holds state for '${variableName}', which is not a weight of model '${model.name}'.`);
    return { name: `${path}/momentum`, tensor };
  });
  const { data, specs } = await tf.io.encodeWeights(named);
  const iterations = (await iteration.tensor.data())[0];
  iteration.tensor.dispose();
  await mkdir(folder, { recursive: true });
  const file: z.infer<typeof sgdFileSchema> = { format: 'ovus-momentum-state', version: 1, iterations, weightSpecs: specs };
  for (const [name, content] of [
    [SGD_BIN, new Uint8Array(tf.io.CompositeArrayBuffer.join(data))],
    [SGD_JSON, JSON.stringify(file)],
  ] as const) {
    await writeFile(join(folder, `${name}.partial`), content);
    await rename(join(folder, `${name}.partial`), join(folder, name));
  }
}

/** A new optimizer with the saved state, its slots aligned to `model.trainableWeights`. */
export async function loadOptimizer(settings: OptimizerSettings, model: tf.LayersModel, folder: string): Promise<tf.Optimizer> {
  if (settings.name !== 'sgd') {
    // loadOptimizerState gives a stock tf.train.adam; its state moves into the fused one that
    // createOptimizer makes, so a resumed run updates exactly as an uninterrupted one.
    const { optimizer: loaded } = await loadOptimizerState(model, folder);
    const weights = await loaded.getWeights();
    const fused = createAdamOptimizer(settings.learningRate);
    await fused.setWeights(weights);
    weights[0].tensor.dispose(); // the iteration count getWeights made
    loaded.dispose();
    return fused;
  }
  const jsonPath = join(folder, SGD_JSON);
  const parsed = sgdFileSchema.safeParse(JSON.parse(await readFile(jsonPath, 'utf8')));
  if (!parsed.success) throw new Error(`'${jsonPath}' is not an ovus momentum state file: ${parsed.error.message}`);
  const bin = await readFile(join(folder, SGD_BIN));
  const saved = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer, parsed.data.weightSpecs);
  const fresh: tf.Tensor[] = [];
  try {
    const variables = model.trainableWeights;
    const slots = trainableWeightPaths(model).map((path, i) => {
      let tensor = saved[`${path}/momentum`];
      if (tensor === undefined || !tf.util.arraysEqual(tensor.shape, variables[i].shape as number[])) {
        tensor = tf.zeros(variables[i].shape as number[]);
        fresh.push(tensor);
      }
      return { name: `${variables[i].name}/momentum`, tensor };
    });
    const optimizer = tf.train.momentum(settings.learningRate, settings.momentum);
    const iterations = tf.scalar(parsed.data.iterations, 'int32');
    fresh.push(iterations);
    await optimizer.setWeights([{ name: 'iter', tensor: iterations }, ...slots]);
    return optimizer;
  } finally {
    // setWeights made variables of its own.
    tf.dispose([...Object.values(saved), ...fresh]);
  }
}
