import { initEngine, tf } from '@ovus/ml-engine';
import { TASK_NAMES, TASKS, type TaskName } from '@ovus/domain';
import { buildMultiTaskModel, getBackbones, setBackboneTrainable, type MultiTaskModelConfig, type PerTask } from '@ovus/ml-models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainStep, predict, type TrainBatch } from '../src/index';

beforeAll(async () => {
  const info = await initEngine({ backend: 'wasm' });
  expect(info.backend).toBe('wasm');
});

const tiny = (overrides: Partial<MultiTaskModelConfig> = {}): MultiTaskModelConfig => ({
  backbone: 'mobilenet-v3-small',
  backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 },
  tasks: TASK_NAMES,
  inputSize: 32,
  dropout: 0,
  ...overrides,
});

function labels(tasks: readonly TaskName[], n: number, missing: readonly TaskName[] = []): PerTask<Int32Array> {
  return Object.fromEntries(
    tasks.map((task, t) => [
      task,
      Int32Array.from({ length: n }, (_, i) =>
        missing.includes(task) || (i + t) % 4 === 0 ? -1 : (i * 3 + t) % TASKS[task].codes.length,
      ),
    ]),
  );
}

function batch(n: number, seed: number, tasks: readonly TaskName[], missing: readonly TaskName[] = []): TrainBatch {
  return {
    bmus: tf.randomUniform([n, 32, 32, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    ceus: tf.randomUniform([n, 32, 32, 3], 0, 1, 'float32', seed + 1) as tf.Tensor4D,
    labels: labels(tasks, n, missing),
  };
}

function disposeBatch(b: TrainBatch): void {
  tf.dispose([b.bmus, b.ceus]);
}

describe('createTrainStep', () => {
  it('lowers the loss of a tiny 8-head model and leaks no tensor from step to step', () => {
    const model = buildMultiTaskModel(tiny());
    const step = createTrainStep(model, tf.train.adam(0.01));
    const data = batch(8, 1, TASK_NAMES, ['papillary']);
    const first = step(data); // Adam creates its moments on the first step
    const tensorsAfterFirst = tf.memory().numTensors;
    const losses = [first.total];
    for (let i = 0; i < 7; i++) {
      losses.push(step(data).total);
      expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    }
    expect(Object.keys(first.perTask)).toEqual([...TASK_NAMES]);
    // A task with no label in the batch contributes exactly 0, not NaN.
    expect(first.perTask.papillary).toBe(0);
    const sum = Object.values(first.perTask).reduce((a, b) => a + (b as number), 0);
    expect(first.total).toBeCloseTo(sum, 4);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[7]).toBeLessThan(losses[0] * 0.8);
    disposeBatch(data);
    model.dispose();
  });

  it('applies the loss options: task weights change the total, not the per-task values', () => {
    const model = buildMultiTaskModel(tiny({ tasks: ['solid', 'malignancy'] }));
    const data = batch(6, 3, ['solid', 'malignancy']);
    // A zero learning rate leaves the model as it is, so both steps see the same predictions.
    const plain = createTrainStep(model, tf.train.adam(0))(data);
    const weighted = createTrainStep(model, tf.train.adam(0), { taskWeights: { malignancy: 3 } })(data);
    expect(weighted.perTask.malignancy).toBeCloseTo(plain.perTask.malignancy as number, 5);
    expect(weighted.total).toBeCloseTo((plain.perTask.solid as number) + 3 * (plain.perTask.malignancy as number), 4);
    disposeBatch(data);
    model.dispose();
  });

  it('trains only the heads after the backbone is frozen, and insists on a new step after a change', () => {
    const model = buildMultiTaskModel(tiny({ tasks: ['malignancy'] }));
    const data = batch(4, 5, ['malignancy']);
    const stale = createTrainStep(model, tf.train.adam(0.01));
    setBackboneTrainable(model, false);
    expect(() => stale(data)).toThrow(/trainable weights of .* changed since this train step was made.*new optimizer and a new train step/);

    const [backbone] = getBackbones(model);
    const before = backbone.getWeights().map((w) => w.clone());
    const frozenStep = createTrainStep(model, tf.train.adam(0.01));
    frozenStep(data);
    frozenStep(data);
    backbone.getWeights().forEach((w, i) => expect(tf.tidy(() => tf.max(tf.abs(tf.sub(w, before[i]))).dataSync()[0])).toBe(0));
    tf.dispose(before);
    disposeBatch(data);
    model.dispose();
  });

  it('says what is wrong with a batch', () => {
    const model = buildMultiTaskModel(tiny({ tasks: ['echogenicity', 'malignancy'] }));
    const step = createTrainStep(model, tf.train.adam(0.01));
    const good = batch(4, 7, ['echogenicity', 'malignancy']);
    expect(() => step({ ...good, labels: { echogenicity: good.labels.echogenicity } })).toThrow(
      /batch.labels has no 'malignancy'; give n class indices, -1 for cases without that label/,
    );
    expect(() => step({ ...good, labels: { ...good.labels, malignancy: Int32Array.from([0, 1]) } })).toThrow(
      /batch.labels.malignancy has 2 values for 4 image pairs/,
    );
    expect(() => step({ ...good, labels: { ...good.labels, echogenicity: Int32Array.from([0, 4, 1, 1]) } })).toThrow(
      /batch.labels.echogenicity\[1\] is 4; class indices run 0..3 \(-1 = missing\)\. Convert paper codes with encodeLabels/,
    );
    const wrongSize = tf.zeros([4, 64, 64, 3]) as tf.Tensor4D;
    expect(() => step({ ...good, ceus: wrongSize })).toThrow(/batch.ceus has shape \[4,64,64,3\]; the model takes \[n, 32, 32, 3\]/);
    wrongSize.dispose();

    // A diverged head: its outputs, and so the loss, are NaN.
    const head = model.getLayer('malignancy');
    const [kernel, bias] = head.getWeights();
    head.setWeights([tf.fill(kernel.shape, Number.NaN), bias]);
    const trainable = (): number[][] => model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const before = trainable();
    expect(() => step(good)).toThrow(/The loss is NaN \(task\(s\) malignancy\); the optimizer step was skipped\. Lower the learning rate/);
    expect(trainable()).toEqual(before);
    disposeBatch(good);
    model.dispose();
  });
});

describe('predict', () => {
  it('gives per-task probabilities, n × classes, whatever the chunk size, without leaking', () => {
    const model = buildMultiTaskModel(tiny({ tasks: ['blood_flow', 'echogenicity'], fusion: 'separate' }));
    const data = batch(5, 9, ['blood_flow', 'echogenicity']);
    predict(model, data); // warm-up
    const tensors = tf.memory().numTensors;
    const whole = predict(model, data);
    const chunked = predict(model, data, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Object.keys(whole)).toEqual(['blood_flow', 'echogenicity']);
    expect(whole.echogenicity).toBeInstanceOf(Float32Array);
    expect(whole.echogenicity).toHaveLength(5 * 4);
    expect(whole.blood_flow).toHaveLength(5 * 2);
    for (let i = 0; i < 5; i++) {
      const row = Array.from((whole.echogenicity as Float32Array).subarray(i * 4, i * 4 + 4));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    const reference = model.predict([data.bmus, data.ceus]) as tf.Tensor[];
    expect(Array.from(whole.blood_flow as Float32Array)).toEqual(Array.from(reference[0].dataSync()));
    (['blood_flow', 'echogenicity'] as const).forEach((task) =>
      (chunked[task] as Float32Array).forEach((v, i) => expect(v).toBeCloseTo((whole[task] as Float32Array)[i], 5)),
    );
    tf.dispose(reference);
    disposeBatch(data);
    model.dispose();
  });
});
