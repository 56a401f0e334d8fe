import { tf } from '@ovus/ml-engine';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMultiTaskModel,
  createBackbone,
  fileSystemIO,
  formatWeightLoadReport,
  getBackbones,
  listModelWeights,
  loadBackboneWeights,
  saveModel,
  type BackboneOptions,
} from '../src/index';
import { images, maxAbsDiff, temporaryFolder, useWasm } from './engine';

beforeAll(useWasm);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function folder(): Promise<string> {
  const { path, remove } = await temporaryFolder('pretrained');
  cleanups.push(remove);
  return path;
}

const small: BackboneOptions = { inputSize: 32, widthMultiplier: 0.25, depthMultiplier: 0.5 };

function features(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return model.predict(x) as tf.Tensor;
}

describe('loadBackboneWeights', () => {
  // tfjs' own model.save names weights `<layer>/<weight>`, as tensorflowjs_converter does for Keras
  // models: the same files a user brings from Keras ImageNet weights.
  it.each(['efficientnet-b0', 'mobilenet-v3-large', 'vit-b16'])(
    '%s: weights saved as tfjs/Keras files load by layer name into a fresh model',
    async (name) => {
      const dir = await folder();
      const source = createBackbone(name, small);
      await source.save(fileSystemIO(dir));
      const fresh = createBackbone(name, small);
      const sourceWeights = source.getWeights();
      const differing = (): number => fresh.getWeights().filter((w, i) => maxAbsDiff(w, sourceWeights[i]) > 0).length;
      expect(differing()).toBeGreaterThan(0);

      const report = await loadBackboneWeights(fresh, dir);
      expect(report.skipped).toEqual([]);
      expect(report.unused).toEqual([]);
      expect(report.loaded).toHaveLength(fresh.weights.length);
      expect(differing()).toBe(0);
      const x = images(2, 32);
      const [want, got] = [features(source, x), features(fresh, x)];
      expect(maxAbsDiff(want, got)).toBe(0);
      tf.dispose([x, want, got]);
      source.dispose();
      fresh.dispose();
    },
  );

  it('fills the shared backbone of a multi-task model from a backbone checkpoint, and says nothing of the heads', async () => {
    const dir = await folder();
    const source = createBackbone('resnet18', small);
    await saveModel(source, dir);
    const model = buildMultiTaskModel({ backbone: 'resnet18', backboneOptions: small, tasks: ['malignancy'], inputSize: 32 });
    const report = await loadBackboneWeights(model, dir);
    expect(report.loaded).toHaveLength(source.weights.length);
    expect(report.loaded.every((w) => w.startsWith('backbone/'))).toBe(true);
    expect(report.skipped).toEqual([]);
    const x = images(2, 32);
    const want = features(source, x);
    const got = features(getBackbones(model)[0], x);
    expect(maxAbsDiff(want, got)).toBe(0);
    tf.dispose([x, want, got]);
    source.dispose();
    model.dispose();
  });

  it('reports shape mismatches and weights the file lacks, and loads the rest', async () => {
    const dir = await folder();
    const source = createBackbone('vgg16', { ...small, depthMultiplier: 0.4 });
    await saveModel(source, dir);
    // Wider and deeper: every kernel changes shape, and the extra convolutions are not in the file.
    const target = createBackbone('vgg16', { inputSize: 32, widthMultiplier: 0.5, depthMultiplier: 1 });
    const report = await loadBackboneWeights(target, dir);
    const mismatch = report.skipped.find((s) => s.weight === 'block1_conv1/kernel');
    expect(mismatch).toEqual({
      weight: 'block1_conv1/kernel',
      reason: 'shape-mismatch',
      detail: "file 'block1_conv1/kernel' is [3,3,3,16], model needs [3,3,3,32]",
    });
    expect(report.skipped).toContainEqual({
      weight: 'block3_conv3/kernel',
      reason: 'not-in-file',
      detail: "no weight named 'block3_conv3/kernel' in the file",
    });
    expect(report.loaded).toEqual([]);
    expect(report.unused).toHaveLength(source.weights.length);
    expect(formatWeightLoadReport(report)).toMatch(/0 loaded, 0 adapted, \d+ skipped, \d+ file weights unused/);
    source.dispose();
    target.dispose();
  });

  it('adapts 3-channel first kernels to 6-channel early fusion so equal images give equal features', async () => {
    const dir = await folder();
    const source = createBackbone('mobilenet-v2', small);
    await saveModel(source, dir);
    const early = createBackbone('mobilenet-v2', { ...small, inputChannels: 6 });
    const report = await loadBackboneWeights(early, dir);
    expect(report.adapted).toEqual([{ weight: 'Conv1/kernel', detail: '[3,3,3,8] repeated over input channels to [3,3,6,8]' }]);
    expect(report.loaded).toHaveLength(early.weights.length - 1);
    const x = images(2, 32);
    const want = features(source, x);
    const stacked = tf.concat([x, x], 3);
    const got = features(early, stacked);
    expect(maxAbsDiff(want, got)).toBeLessThan(1e-4);

    const strict = createBackbone('mobilenet-v2', { ...small, inputChannels: 6 });
    const strictReport = await loadBackboneWeights(strict, dir, { adaptInputChannels: false });
    expect(strictReport.skipped.map((s) => [s.weight, s.reason])).toEqual([['Conv1/kernel', 'shape-mismatch']]);
    tf.dispose([x, want, stacked, got]);
    [source, early, strict].forEach((m) => m.dispose());
  });

  it('matches names carrying an extra model prefix or a :0 suffix, and refuses ambiguous ones', async () => {
    const model = createBackbone('resnet18', small);
    const [first, second] = listModelWeights(model);
    const dir = await folder();
    const tensors = [first.variable.read(), second.variable.read()];
    // Names as a Keras model nested in another, or TF variable names, can come out.
    const { data, specs } = await tf.io.encodeWeights([
      { name: `resnet18/${first.leaf}:0`, tensor: tf.mul(tensors[0], 2) },
      { name: `a/${second.leaf}`, tensor: tensors[1] },
      { name: `b/${second.leaf}`, tensor: tensors[1] },
    ]);
    await fileSystemIO(dir).save?.({ modelTopology: {}, weightSpecs: specs, weightData: data, format: 'layers-model' });
    const before = first.variable.read().clone();
    const report = await loadBackboneWeights(model, dir);
    expect(report.loaded).toEqual([first.path]);
    expect(maxAbsDiff(first.variable.read(), tf.mul(before, 2))).toBe(0);
    expect(report.skipped.find((s) => s.weight === second.path)?.reason).toBe('ambiguous');
    before.dispose();
    model.dispose();
  });

  it('says which file is missing', async () => {
    const model = createBackbone('resnet18', small);
    await expect(loadBackboneWeights(model, '/nonexistent/imagenet')).rejects.toThrow(
      /No model at '\/nonexistent\/imagenet': give the folder that holds model.json/,
    );
    model.dispose();
  });
});
