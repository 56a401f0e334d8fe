// Scoring a part of the data: the model's class probabilities, a quick per-epoch summary for
// model selection (losses, accuracy, macro F1, AUC), and the final scores with bootstrap intervals.
import { tf } from '@ovus/ml-engine';
import { TASKS, type TaskName } from '@ovus/domain';
import { scoreTask, type TaskScores } from '@ovus/ml-metrics';
import type { PerTask } from '@ovus/ml-models';
import { predict } from '../predict';
import { assembleBatch, batchTensors, chunk } from './batches';
import { partSize, type PreparedPart } from './run-data';
import { yieldToEventLoop } from './seeded-random';

/** Inference-mode probabilities per task, n × classes row-major, classes in TASKS[task].codes order. */
export async function predictPart(
  model: tf.LayersModel,
  part: PreparedPart,
  tasks: readonly TaskName[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<PerTask<Float32Array>> {
  const n = partSize(part);
  const out: PerTask<Float32Array> = Object.fromEntries(tasks.map((task) => [task, new Float32Array(n * TASKS[task].codes.length)]));
  const indices = Array.from({ length: n }, (_, i) => i);
  let row = 0;
  for (const rows of chunk(indices, options.batchSize ?? 32)) {
    options.signal?.throwIfAborted();
    const batch = batchTensors(assembleBatch(part, rows, tasks));
    try {
      const probabilities = predict(model, batch, { batchSize: rows.length });
      for (const task of tasks) (out[task] as Float32Array).set(probabilities[task] as Float32Array, row * TASKS[task].codes.length);
    } finally {
      tf.dispose([batch.bmus, batch.ceus]);
    }
    row += rows.length;
    await yieldToEventLoop();
  }
  return out;
}

interface LabelledPredictions {
  yTrue: number[];
  yPred: number[];
  probabilities: Float32Array[];
  /** Probability given to the true class, per labelled case. */
  trueClassProbability: number[];
}

/** The cases of the part that carry a label for `task`, as class codes and probability rows. */
function labelled(task: TaskName, part: PreparedPart, probabilities: Float32Array): LabelledPredictions {
  const codes = TASKS[task].codes;
  const k = codes.length;
  const labels = part.labels[task] as Int32Array;
  const out: LabelledPredictions = { yTrue: [], yPred: [], probabilities: [], trueClassProbability: [] };
  labels.forEach((label, i) => {
    if (label < 0) return;
    const row = probabilities.subarray(i * k, (i + 1) * k);
    let best = 0;
    for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
    out.yTrue.push(codes[label]);
    out.yPred.push(codes[best]);
    out.probabilities.push(row);
    out.trueClassProbability.push(row[label]);
  });
  return out;
}

export interface TaskValidation {
  /** Mean cross-entropy over the labelled cases (NaN when none is labelled). */
  loss: number;
  accuracy: number;
  /** Macro F1, as the paper reports. */
  f1: number;
  /** NaN when undefined (a class missing from the labels). */
  auc: number;
  labelled: number;
}

export interface ValidationSummary {
  /** Σ task weight × task loss, tasks without labels counting 0 (as in training). */
  loss: number;
  perTask: PerTask<TaskValidation>;
  /** Means over the tasks that have labelled cases. */
  meanAccuracy: number;
  meanF1: number;
}

const EPSILON = 1e-7; // as multiTaskLoss

export function summarizePart(
  tasks: readonly TaskName[],
  part: PreparedPart,
  probabilities: PerTask<Float32Array>,
  taskWeights: Readonly<Partial<Record<TaskName, number>>> = {},
): ValidationSummary {
  const perTask: PerTask<TaskValidation> = {};
  let loss = 0;
  for (const task of tasks) {
    const cases = labelled(task, part, probabilities[task] as Float32Array);
    if (cases.yTrue.length === 0) {
      perTask[task] = { loss: Number.NaN, accuracy: Number.NaN, f1: Number.NaN, auc: Number.NaN, labelled: 0 };
      continue;
    }
    const taskLoss = cases.trueClassProbability.reduce((sum, p) => sum - Math.log(Math.max(p, EPSILON)), 0) / cases.yTrue.length;
    const scores = scoreTask({ yTrue: cases.yTrue, yPred: cases.yPred, probabilities: cases.probabilities, classes: TASKS[task].codes });
    perTask[task] = { loss: taskLoss, accuracy: scores.accuracy, f1: scores.f1, auc: scores.auc ?? Number.NaN, labelled: cases.yTrue.length };
    loss += (taskWeights[task] ?? 1) * taskLoss;
  }
  const scored = tasks.map((task) => perTask[task] as TaskValidation).filter((t) => t.labelled > 0);
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
  return { loss, perTask, meanAccuracy: mean(scored.map((t) => t.accuracy)), meanF1: mean(scored.map((t) => t.f1)) };
}

/** What one head predicted for one case: class codes (label null when the case has none for the task). */
export interface CasePrediction {
  caseId: string;
  label: number | null;
  predicted: number;
  /** In TASKS[task].codes order. */
  probabilities: number[];
}

/** Every case of the part, per task, in the part's order: what paired tests between runs compare. */
export function casePredictions(tasks: readonly TaskName[], part: PreparedPart, probabilities: PerTask<Float32Array>): PerTask<CasePrediction[]> {
  const out: PerTask<CasePrediction[]> = {};
  for (const task of tasks) {
    const codes = TASKS[task].codes;
    const k = codes.length;
    const labels = part.labels[task] as Int32Array;
    const rows = probabilities[task] as Float32Array;
    out[task] = part.caseIds.map((caseId, i) => {
      const row = Array.from(rows.subarray(i * k, (i + 1) * k));
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
      const label = labels[i] as number;
      return { caseId, label: label < 0 ? null : codes[label], predicted: codes[best], probabilities: row };
    });
  }
  return out;
}

export interface ScoreOptions {
  bootstrapResamples: number;
  confidenceLevel: number;
  seed: number;
}

/** scoreTask (macro averaging) per task with bootstrap intervals; tasks with no labelled case are left out. */
export function scorePart(
  tasks: readonly TaskName[],
  part: PreparedPart,
  probabilities: PerTask<Float32Array>,
  options: ScoreOptions,
): PerTask<TaskScores> {
  const out: PerTask<TaskScores> = {};
  for (const task of tasks) {
    const cases = labelled(task, part, probabilities[task] as Float32Array);
    if (cases.yTrue.length === 0) continue;
    out[task] = scoreTask({
      yTrue: cases.yTrue,
      yPred: cases.yPred,
      probabilities: cases.probabilities,
      classes: TASKS[task].codes,
      bootstrap:
        options.bootstrapResamples > 0
          ? { resamples: options.bootstrapResamples, level: options.confidenceLevel, seed: options.seed }
          : undefined,
    });
  }
  return out;
}
