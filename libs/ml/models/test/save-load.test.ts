import { tf } from '@ovus/ml-engine';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMultiTaskModel,
  createBackbone,
  fileSystemIO,
  getModelTasks,
  isBackboneTrainable,
  loadModel,
  readModelMetadata,
  saveModel,
  setBackboneTrainable,
  type Fusion,
} from '../src/index';
import { images, maxAbsDiff, temporaryFolder, useWasm } from './engine';

beforeAll(useWasm);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function folder(): Promise<string> {
  const { path, remove } = await temporaryFolder('save-load');
  cleanups.push(remove);
  return path;
}

function predictAll(model: tf.LayersModel, inputs: tf.Tensor[]): tf.Tensor[] {
  const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  return Array.isArray(out) ? out : [out];
}

describe('saveModel / loadModel', () => {
  it.each(['shared', 'separate', 'early'] as const)(
    '%s fusion: a loaded checkpoint predicts exactly what the saved model did',
    async (fusion: Fusion) => {
      const dir = await folder();
      const model = buildMultiTaskModel({
        backbone: 'resnet18',
        backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 },
        tasks: ['echogenicity', 'malignancy'],
        fusion,
        inputSize: 32,
        headHidden: 8,
      });
      // Move the batch-norm statistics away from their initial values so that they are tested too.
      tf.tidy(() => {
        model.apply([images(4, 32, 3, 1), images(4, 32, 3, 2)], { training: true });
      });
      setBackboneTrainable(model, false);
      await saveModel(model, dir);

      const { model: loaded, build } = await loadModel(dir);
      expect(build.kind).toBe('multi-task');
      expect(readModelMetadata(loaded)).toEqual(readModelMetadata(model));
      expect(getModelTasks(loaded)).toEqual(['echogenicity', 'malignancy']);
      expect(isBackboneTrainable(loaded)).toBe(false);
      const inputs = [images(3, 32, 3, 7), images(3, 32, 3, 8)];
      const want = predictAll(model, inputs);
      const got = predictAll(loaded, inputs);
      want.forEach((w, i) => expect(maxAbsDiff(w, got[i])).toBe(0));
      tf.dispose([...inputs, ...want, ...got]);
      model.dispose();
      loaded.dispose();
    },
  );

  it('round-trips a bare backbone, ViT custom layers included', async () => {
    const dir = await folder();
    const model = createBackbone('vit-b16', { inputSize: 32, widthMultiplier: 0.1, depthMultiplier: 0.1, pooling: 'token' });
    await saveModel(model, dir);
    const { model: loaded, build } = await loadModel(dir);
    expect(build).toMatchObject({ kind: 'backbone', backbone: 'vit-b16', options: { pooling: 'token', inputSize: 32 } });
    const x = images(2, 32);
    const [want] = predictAll(model, [x]);
    const [got] = predictAll(loaded, [x]);
    expect(maxAbsDiff(want, got)).toBe(0);
    tf.dispose([x, want, got]);
    model.dispose();
    loaded.dispose();
  });

  it('explains folders it cannot load', async () => {
    const dir = await folder();
    await expect(loadModel(join(dir, 'nothing-here'))).rejects.toThrow(/No model at '.*nothing-here': give the folder that holds model.json/);

    // A plain tfjs model saved through the IOHandler has no build config.
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    await plain.save(fileSystemIO(dir));
    await expect(loadModel(dir)).rejects.toThrow(/has no ovus build config; it was not written by saveModel/);
    plain.dispose();

    // A checkpoint whose weights file lost a weight.
    const model = createBackbone('mobilenet-v2', { inputSize: 32, widthMultiplier: 0.35, depthMultiplier: 0.34 });
    await saveModel(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].weights[0].name = 'renamed/kernel';
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/does not match the model.*Conv1\/kernel: missing from the file.*renamed\/kernel: in the file but not in the model/);

    await rm(join(dir, 'weights.bin'));
    await expect(loadModel(dir)).rejects.toThrow(/lists weight file 'weights.bin', which cannot be read/);
    model.dispose();
  });

  it('writes standard tfjs layers-format files that tf.loadLayersModel reads through the IOHandler', async () => {
    const dir = await folder();
    const model = createBackbone('densenet121', { inputSize: 32, widthMultiplier: 0.25, depthMultiplier: 0.2 });
    await model.save(fileSystemIO(dir));
    const loaded = await tf.loadLayersModel(fileSystemIO(dir));
    const x = images(2, 32);
    const [want] = predictAll(model, [x]);
    const [got] = predictAll(loaded, [x]);
    expect(maxAbsDiff(want, got)).toBe(0);
    tf.dispose([x, want, got]);
    model.dispose();
    loaded.dispose();
  });
});
