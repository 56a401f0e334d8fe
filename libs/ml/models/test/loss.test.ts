import { tf } from '@ovus/ml-engine';
import type { CaseRecord } from '@ovus/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { balancedClassWeights, encodeLabels, labelsForCases, MISSING_LABEL, multiTaskLoss } from '../src/index';
import { useWasm } from './engine';

beforeAll(useWasm);

const ln = Math.log;

function fixture() {
  return {
    probabilities: {
      blood_flow: tf.tensor2d([
        [0.9, 0.1],
        [0.3, 0.7],
        [0.5, 0.5],
      ]),
      echogenicity: tf.tensor2d([
        [0.1, 0.2, 0.3, 0.4],
        [0.25, 0.25, 0.25, 0.25],
        [0.7, 0.1, 0.1, 0.1],
      ]),
      malignancy: tf.tensor2d([
        [0.6, 0.4],
        [0.2, 0.8],
        [0.5, 0.5],
      ]),
    },
    labels: {
      blood_flow: tf.tensor1d([0, 1, MISSING_LABEL], 'int32'),
      echogenicity: tf.tensor1d([3, MISSING_LABEL, 0], 'int32'),
      malignancy: tf.tensor1d([MISSING_LABEL, MISSING_LABEL, MISSING_LABEL], 'int32'),
    },
  };
}

describe('multiTaskLoss', () => {
  it('sums per-task cross-entropies averaged over labelled cases; missing labels add nothing', () => {
    const { probabilities, labels } = fixture();
    const { total, perTask } = multiTaskLoss(probabilities, labels);
    const bloodFlow = (-ln(0.9) - ln(0.7)) / 2;
    const echogenicity = (-ln(0.4) - ln(0.7)) / 2;
    expect(perTask.blood_flow?.dataSync()[0]).toBeCloseTo(bloodFlow, 5);
    expect(perTask.echogenicity?.dataSync()[0]).toBeCloseTo(echogenicity, 5);
    expect(perTask.malignancy?.dataSync()[0]).toBe(0);
    expect(total.dataSync()[0]).toBeCloseTo(bloodFlow + echogenicity, 5);
    tf.dispose([total, ...Object.values(perTask), ...Object.values(probabilities), ...Object.values(labels)]);
  });

  it('applies task weights and class weights', () => {
    const { probabilities, labels } = fixture();
    const { total, perTask } = multiTaskLoss(probabilities, labels, {
      taskWeights: { echogenicity: 2 },
      classWeights: { blood_flow: [1, 3] },
    });
    const bloodFlow = (-ln(0.9) - 3 * ln(0.7)) / 2;
    const echogenicity = (-ln(0.4) - ln(0.7)) / 2;
    expect(perTask.blood_flow?.dataSync()[0]).toBeCloseTo(bloodFlow, 5);
    expect(total.dataSync()[0]).toBeCloseTo(bloodFlow + 2 * echogenicity, 5);
    tf.dispose([total, ...Object.values(perTask), ...Object.values(probabilities), ...Object.values(labels)]);
  });

  it('gives the softmax cross-entropy gradient (p − y) / n, zero for unlabelled cases and absent tasks', () => {
    const logits = tf.variable(tf.tensor2d([
      [2, -1],
      [0.5, 0.5],
      [-3, 1],
    ]));
    const absentLogits = tf.variable(tf.tensor2d([[1, 2, 3, 4]]));
    const labels = { solid: tf.tensor1d([1, MISSING_LABEL, 0], 'int32'), echogenicity: tf.tensor1d([MISSING_LABEL], 'int32') };
    const { value, grads } = tf.variableGrads(
      () =>
        multiTaskLoss({ solid: tf.softmax(logits), echogenicity: tf.softmax(absentLogits) }, labels).total,
      [logits, absentLogits],
    );
    const p = tf.softmax(logits).arraySync() as number[][];
    const expected = [
      [p[0][0] / 2, (p[0][1] - 1) / 2],
      [0, 0],
      [(p[2][0] - 1) / 2, p[2][1] / 2],
    ];
    const got = grads[logits.name].arraySync() as number[][];
    expected.forEach((row, i) => row.forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, 5)));
    expect(Array.from(grads[absentLogits.name].dataSync()).map(Math.abs)).toEqual([0, 0, 0, 0]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    tf.dispose([value, ...Object.values(grads), logits, absentLogits, ...Object.values(labels)]);
  });

  it('works as the loss of optimizer.minimize and lowers it', () => {
    const logits = tf.variable(tf.zeros([4, 2]));
    const labels = { morphology: tf.tensor1d([0, 1, 1, MISSING_LABEL], 'int32') };
    const optimizer = tf.train.adam(0.1);
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const cost = optimizer.minimize(() => multiTaskLoss({ morphology: tf.softmax(logits) }, labels).total, true, [logits]);
      losses.push((cost as tf.Scalar).dataSync()[0]);
      cost?.dispose();
    }
    expect(losses[0]).toBeCloseTo(ln(2), 5);
    expect(losses[4]).toBeLessThan(losses[0] * 0.6);
    tf.dispose([logits, labels.morphology]);
    optimizer.dispose();
  });

  it('lets NaN predictions through as a NaN loss rather than clipping them away', () => {
    const p = tf.tensor2d([[Number.NaN, 0.5]]);
    const y = tf.tensor1d([0], 'int32');
    const { total, perTask } = multiTaskLoss({ septation: p }, { septation: y });
    expect(total.dataSync()[0]).toBeNaN();
    tf.dispose([p, y, total, ...Object.values(perTask)]);
  });

  it('says what is wrong with its inputs', () => {
    const p = tf.tensor2d([[0.5, 0.5]]);
    const y = tf.tensor1d([0], 'int32');
    expect(() => multiTaskLoss({ septation: p }, {})).toThrow(/No labels for task 'septation'; pass -1/);
    expect(() => multiTaskLoss({ echogenicity: p }, { echogenicity: y })).toThrow(/expects probabilities of shape \[batch, 4\]; got \[1,2\]/);
    expect(() => multiTaskLoss({ septation: p }, { septation: tf.tensor1d([0, 1], 'int32') })).toThrow(/1 predictions but labels of shape \[2\]/);
    expect(() => multiTaskLoss({ septation: p }, { septation: y }, { classWeights: { septation: [1] } })).toThrow(
      /classWeights for 'septation' need 2 values/,
    );
    tf.dispose([p, y]);
  });
});

describe('labels', () => {
  it('maps paper codes to softmax indices, echogenicity 0,1,3,4 → 0..3, missing → -1', () => {
    expect(Array.from(encodeLabels('echogenicity', [0, 1, 3, 4, null, undefined]))).toEqual([0, 1, 2, 3, -1, -1]);
    expect(() => encodeLabels('echogenicity', [2])).toThrow(/Code 2 is not a class of task 'echogenicity'/);
  });

  it('reads a batch of cases into per-task label arrays', () => {
    const base = { patientId: 'p', bmusPath: 'b', ceusPath: 'c', bmusSha256: '', ceusSha256: '' };
    const labels = { blood_flow: 1, boundary: 0, echogenicity: 3, morphology: null, papillary: 0, septation: 1, solid: 0 };
    const cases: CaseRecord[] = [
      { ...base, caseId: 'a', labels, malignancy: 1 },
      { ...base, caseId: 'b', labels: { ...labels, echogenicity: 4, morphology: 1 }, malignancy: 0 },
    ];
    const out = labelsForCases(cases, ['echogenicity', 'morphology', 'malignancy']);
    expect(Object.keys(out)).toEqual(['echogenicity', 'morphology', 'malignancy']);
    expect(Array.from(out.echogenicity ?? [])).toEqual([2, 3]);
    expect(Array.from(out.morphology ?? [])).toEqual([-1, 1]);
    expect(Array.from(out.malignancy ?? [])).toEqual([1, 0]);
  });

  it('balances class weights as n / (classes · count), ignoring missing labels', () => {
    expect(balancedClassWeights('malignancy', Int32Array.from([0, 0, 0, 1, -1]))).toEqual([4 / 6, 2]);
    expect(balancedClassWeights('echogenicity', Int32Array.from([0, 0, 1, 3]))).toEqual([0.5, 1, 1, 1]);
  });
});
