import { tf } from '@ovus/ml-engine';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { listModelWeights, trainableWeightPaths } from './model-weights';

// Adam's state for resuming: the step count and both moments per trainable weight, keyed by the
// weight's model path (tfjs keys them by global variable names that change between processes).
// Adam's slots are positional — moment i belongs to the i-th gradient it is given — so loading
// orders them as model.trainableWeights, the order createTrainStep differentiates in.

export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';

const fileSchema = z.object({
  format: z.literal('ovus-adam-state'),
  version: z.literal(1),
  config: z.object({ learningRate: z.number(), beta1: z.number(), beta2: z.number(), epsilon: z.number() }),
  iterations: z.number().int().min(0),
  weightSpecs: z.array(
    z.custom<tf.io.WeightsManifestEntry>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string',
      'a weight spec needs a name',
    ),
  ),
});

type OptimizerFile = z.infer<typeof fileSchema>;
type NamedTensor = { name: string; tensor: tf.Tensor };

function adamConfig(optimizer: tf.Optimizer): OptimizerFile['config'] {
  if (optimizer.getClassName() !== 'Adam') {
    throw new TypeError(`Only Adam's state can be saved; got a ${optimizer.getClassName()} optimizer.`);
  }
  const c = optimizer.getConfig() as Record<string, number>;
  return { learningRate: c.learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon };
}

export async function saveOptimizerState(optimizer: tf.Optimizer, model: tf.LayersModel, folder: string): Promise<void> {
  const config = adamConfig(optimizer);
  const pathOf = new Map(listModelWeights(model).map((w) => [w.variable.name, w.path]));
  const [iteration, ...moments] = await optimizer.getWeights();
  const named = moments.map(({ name, tensor }) => {
    const slot = name.slice(name.lastIndexOf('/') + 1);
    const variableName = name.slice(0, name.lastIndexOf('/'));
    const path = pathOf.get(variableName);
    if (path === undefined) {
      throw new Error(
        `The optimizer holds state for '${variableName}', which is not a weight of model '${model.name}'; ` +
          `save the optimizer together with the model it trains.`,
      );
    }
    return { name: `${path}/${slot}`, tensor };
  });
  const { data, specs } = await tf.io.encodeWeights(named);
  const iterations = (await iteration.tensor.data())[0];
  iteration.tensor.dispose();
  const file: OptimizerFile = { format: 'ovus-adam-state', version: 1, config, iterations, weightSpecs: specs };
  await mkdir(folder, { recursive: true });
  // Write then rename, so a crash never leaves a half-written state under the real name.
  for (const [name, content] of [
    [OPTIMIZER_BIN, new Uint8Array(tf.io.CompositeArrayBuffer.join(data))],
    [OPTIMIZER_JSON, JSON.stringify(file)],
  ] as const) {
    await writeFile(join(folder, `${name}.partial`), content);
    await rename(join(folder, `${name}.partial`), join(folder, name));
  }
}

export interface LoadedOptimizerState {
  optimizer: tf.AdamOptimizer;
  iterations: number;
  /** Trainable weights whose moments came from the file. */
  restored: number;
  /** Trainable weights with no saved moments (e.g. frozen when saved); they start from zero. */
  initialised: string[];
  /** Saved moments of weights that are not trainable now (e.g. the backbone was unfrozen then). */
  dropped: string[];
}

async function readOptimizerFile(folder: string): Promise<{ file: OptimizerFile; bytes: ArrayBuffer }> {
  const jsonPath = join(folder, OPTIMIZER_JSON);
  const read = (path: string): Promise<Buffer> =>
    readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`Cannot read optimizer state '${path}' (${error.code}); it is written by saveOptimizerState.`);
    });
  const parsed = fileSchema.safeParse(JSON.parse((await read(jsonPath)).toString('utf8')));
  if (!parsed.success) {
    throw new Error(`'${jsonPath}' is not an ovus Adam state file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
  }
  const bin = await read(join(folder, OPTIMIZER_BIN));
  return { file: parsed.data, bytes: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer };
}

/** A new Adam optimizer with the saved hyper-parameters, step count and moments, aligned to `model`. */
export async function loadOptimizerState(model: tf.LayersModel, folder: string): Promise<LoadedOptimizerState> {
  const { file, bytes } = await readOptimizerFile(folder);
  const saved = tf.io.decodeWeights(bytes, file.weightSpecs);
  const paths = trainableWeightPaths(model);
  const variables = model.trainableWeights;
  const initialised: string[] = [];
  const first: NamedTensor[] = [];
  const second: NamedTensor[] = [];
  const fresh: tf.Tensor[] = [];
  try {
    paths.forEach((path, i) => {
      const shape = variables[i].shape as number[];
      const m = saved[`${path}/m`];
      const v = saved[`${path}/v`];
      if (m === undefined || v === undefined) {
        initialised.push(path);
        const zeros = [tf.zeros(shape), tf.zeros(shape)];
        fresh.push(...zeros);
        first.push({ name: `${variables[i].name}/m`, tensor: zeros[0] });
        second.push({ name: `${variables[i].name}/v`, tensor: zeros[1] });
        return;
      }
      if (!tf.util.arraysEqual(m.shape, shape)) {
        throw new Error(`Optimizer state for '${path}' has shape [${m.shape}] but the weight is [${shape}]; it belongs to another model.`);
      }
      first.push({ name: `${variables[i].name}/m`, tensor: m });
      second.push({ name: `${variables[i].name}/v`, tensor: v });
    });
    const optimizer = tf.train.adam(file.config.learningRate, file.config.beta1, file.config.beta2, file.config.epsilon);
    await optimizer.setWeights([{ name: 'iter', tensor: tf.scalar(file.iterations, 'int32') }, ...first, ...second]);
    const current = new Set(paths);
    const dropped = [...new Set(Object.keys(saved).map((n) => n.slice(0, n.lastIndexOf('/'))))].filter((p) => !current.has(p));
    return { optimizer, iterations: file.iterations, restored: paths.length - initialised.length, initialised, dropped };
  } finally {
    // setWeights made variables of its own from these.
    tf.dispose([...Object.values(saved), ...fresh]);
  }
}
