import { tf } from '@ovus/ml-engine';
import { TASK_NAMES, type TaskName } from '@ovus/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildMultiTaskModel,
  getBackbones,
  getModelTasks,
  isBackboneTrainable,
  MISSING_LABEL,
  multiTaskLoss,
  setBackboneTrainable,
  type Fusion,
  type MultiTaskModelConfig,
} from '../src/index';
import { images, maxAbsDiff, useWasm } from './engine';

beforeAll(useWasm);

const tiny = (overrides: Partial<MultiTaskModelConfig> = {}): MultiTaskModelConfig => ({
  backbone: 'mobilenet-v3-small',
  backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 },
  tasks: TASK_NAMES,
  inputSize: 32,
  ...overrides,
});

function labelBatch(tasks: readonly TaskName[], batch: number): Partial<Record<TaskName, tf.Tensor1D>> {
  // Deterministic labels with a few missing, so masking is exercised while training.
  return Object.fromEntries(
    tasks.map((task, t) => [
      task,
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => ((i + t) % 5 === 0 ? MISSING_LABEL : (i * 7 + t) % (task === 'echogenicity' ? 4 : 2))),
        'int32',
      ),
    ]),
  );
}

describe('buildMultiTaskModel', () => {
  it.each(['shared', 'separate', 'early'] as const)('%s fusion: two image inputs, one softmax head per task', (fusion: Fusion) => {
    const model = buildMultiTaskModel(tiny({ fusion, tasks: ['malignancy', 'echogenicity', 'solid'] }));
    expect(model.inputNames).toEqual(['bmus', 'ceus']);
    expect(model.inputs.map((i) => i.shape)).toEqual([
      [null, 32, 32, 3],
      [null, 32, 32, 3],
    ]);
    // Canonical task order whatever order they were given in.
    expect(model.outputNames).toEqual(['echogenicity', 'solid', 'malignancy']);
    expect(getModelTasks(model)).toEqual(['echogenicity', 'solid', 'malignancy']);
    expect(model.outputs.map((o) => o.shape[1])).toEqual([4, 2, 2]);
    const backbones = getBackbones(model);
    expect(backbones.map((b) => b.name)).toEqual(fusion === 'separate' ? ['bmus_backbone', 'ceus_backbone'] : ['backbone']);
    expect(backbones[0].inputs[0].shape[3]).toBe(fusion === 'early' ? 6 : 3);
    const outputs = tf.tidy(() => model.predict([images(3, 32, 3, 1), images(3, 32, 3, 2)]) as tf.Tensor[]);
    for (const out of outputs) {
      const rows = out.arraySync() as number[][];
      for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    tf.dispose(outputs);
    model.dispose();
  });

  it('shared fusion applies one backbone to BMUS and to CEUS and concatenates per case', () => {
    const model = buildMultiTaskModel(tiny({ fusion: 'shared', tasks: ['malignancy'] }));
    const [backbone] = getBackbones(model);
    const fused = tf.model({ inputs: model.inputs, outputs: model.getLayer('fused_features').output as tf.SymbolicTensor });
    const bmus = images(3, 32, 3, 5);
    const ceus = images(3, 32, 3, 6);
    const got = fused.predict([bmus, ceus]) as tf.Tensor;
    const want = tf.tidy(() => tf.concat([backbone.predict(bmus) as tf.Tensor, backbone.predict(ceus) as tf.Tensor], 1));
    expect(got.shape).toEqual(want.shape);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    tf.dispose([got, want, bmus, ceus]);
    model.dispose();
  });

  it('adds a hidden layer per head when asked', () => {
    const model = buildMultiTaskModel(tiny({ tasks: ['solid', 'septation'], headHidden: 16, dropout: 0 }));
    expect(model.getLayer('solid_hidden').outputShape).toEqual([null, 16]);
    expect(model.layers.some((l) => l.name === 'head_dropout')).toBe(false);
    model.dispose();
  });

  it('explains invalid configurations', () => {
    expect(() => buildMultiTaskModel(tiny({ tasks: ['size' as TaskName] }))).toThrow(/Unknown task\(s\) size\. Valid tasks: blood_flow/);
    expect(() => buildMultiTaskModel(tiny({ tasks: [] }))).toThrow(/at least one task/);
    expect(() => buildMultiTaskModel(tiny({ fusion: 'late' as Fusion }))).toThrow(/Unknown fusion 'late'; use one of shared, separate, early/);
    expect(() => buildMultiTaskModel(tiny({ dropout: 1 }))).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => buildMultiTaskModel(tiny({ backbone: 'alexnet' }))).toThrow(/Unknown backbone 'alexnet'/);
    expect(() => buildMultiTaskModel(tiny({ inputSize: 50 }))).toThrow(/at least 32 px in steps of 32/);
  });

  it.each(['shared', 'separate', 'early'] as const)('%s fusion frees every tensor on dispose', (fusion) => {
    const before = tf.memory().numTensors;
    buildMultiTaskModel(tiny({ fusion })).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('training the multi-task model', () => {
  it('a tiny 2-input 8-head model lowers the masked loss over a few Adam steps', () => {
    const model = buildMultiTaskModel(tiny({ dropout: 0 }));
    const tasks = getModelTasks(model);
    expect(tasks).toHaveLength(8);
    const bmus = images(8, 32, 3, 11);
    const ceus = images(8, 32, 3, 12);
    const labels = labelBatch(tasks, 8);
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const cost = optimizer.minimize(
        () => {
          const outputs = model.apply([bmus, ceus], { training: true }) as tf.Tensor[];
          return multiTaskLoss(Object.fromEntries(tasks.map((t, i) => [t, outputs[i]])), labels).total;
        },
        true,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      ) as tf.Scalar;
      losses.push(cost.dataSync()[0]);
      cost.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[7]).toBeLessThan(losses[0] * 0.8);
    tf.dispose([bmus, ceus, ...Object.values(labels)]);
    optimizer.dispose();
    model.dispose();
  });

  it('a frozen backbone keeps its weights and batch-norm statistics while the heads learn', () => {
    const model = buildMultiTaskModel(tiny({ tasks: ['malignancy', 'solid'], dropout: 0 }));
    const allTrainable = model.trainableWeights.length;
    setBackboneTrainable(model, false);
    expect(isBackboneTrainable(model)).toBe(false);
    expect(model.trainableWeights.map((w) => w.name.replace(/_\d+$/, ''))).toEqual([
      'solid/kernel',
      'solid/bias',
      'malignancy/kernel',
      'malignancy/bias',
    ]);
    const [backbone] = getBackbones(model);
    const backboneBefore = backbone.getWeights().map((w) => w.clone());
    const headBefore = model.getLayer('malignancy').getWeights()[0].clone();
    const bmus = images(4, 32, 3, 21);
    const ceus = images(4, 32, 3, 22);
    const labels = labelBatch(['solid', 'malignancy'], 4);
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 2; step++) {
      optimizer.minimize(
        () => {
          const [solid, malignancy] = model.apply([bmus, ceus], { training: true }) as tf.Tensor[];
          return multiTaskLoss({ solid, malignancy }, labels).total;
        },
        false,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
    }
    // All backbone weights, moving means and variances included, are exactly as before.
    backbone.getWeights().forEach((w, i) => expect(maxAbsDiff(w, backboneBefore[i])).toBe(0));
    expect(maxAbsDiff(model.getLayer('malignancy').getWeights()[0], headBefore)).toBeGreaterThan(0);

    setBackboneTrainable(model, true);
    expect(model.trainableWeights).toHaveLength(allTrainable);
    tf.dispose([...backboneBefore, headBefore, bmus, ceus, ...Object.values(labels)]);
    optimizer.dispose();
    model.dispose();
  });
});
