// Checks every input before anything is written, so a bad call fails where it was made (the client
// throws synchronously) and never reaches the queue, the journal or the database.
import { TrackingInputError } from './errors';
import type {
  CasePredictionInput,
  ConfusionMatrixInput,
  DataSplit,
  KeyValue,
  LogBatch,
  MetricPoint,
  RocCurveInput,
  ScoreWithCi,
  TaskResultInput,
} from './types';

export const MAX_KEY_LENGTH = 250;
const MAX_STEP = 2_147_483_647; // the step column is a 32-bit integer
const MAX_TIMESTAMP = 8.64e15; // the largest time a JavaScript Date holds
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SPLITS: readonly DataSplit[] = ['train', 'validation', 'test'];
const AVERAGINGS = ['binary', 'macro', 'weighted'] as const;

function fail(where: string, problem: string): never {
  throw new TrackingInputError(`${where}: ${problem}`);
}

export function checkRunId(runId: unknown, where = 'runId'): asserts runId is string {
  if (typeof runId !== 'string' || !UUID.test(runId)) fail(where, `${JSON.stringify(runId)} is not a run id (a UUID)`);
}

export function checkKey(key: unknown, where: string): asserts key is string {
  if (typeof key !== 'string') fail(where, `the key must be a string, got ${typeof key}`);
  if (key.length === 0) fail(where, 'the key is empty; name it (e.g. "train/loss")');
  if (key.length > MAX_KEY_LENGTH) {
    fail(where, `the key '${key.slice(0, 40)}…' has ${key.length} characters; the limit is ${MAX_KEY_LENGTH}`);
  }
  if (key.includes('\u0000')) fail(where, 'the key contains a NUL character, which PostgreSQL text cannot hold');
}

export function checkText(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') fail(where, `must be a string, got ${typeof value}`);
  if (value.includes('\u0000')) fail(where, 'contains a NUL character, which PostgreSQL text cannot hold');
}

export function checkStep(step: unknown, where: string): asserts step is number {
  if (typeof step !== 'number' || !Number.isFinite(step)) fail(where, `step ${String(step)} is not a finite number`);
  if (!Number.isInteger(step)) fail(where, `step ${step} is not an integer`);
  if (step < 0) fail(where, `step ${step} is negative; steps count up from 0`);
  if (step > MAX_STEP) fail(where, `step ${step} exceeds ${MAX_STEP}`);
}

/** Any number, NaN and ±Infinity included (stored faithfully); not a string or bigint. */
export function checkMetricValue(value: unknown, where: string): asserts value is number {
  if (typeof value !== 'number') fail(where, `the value must be a number (NaN and Infinity are allowed), got ${typeof value}`);
}

export function checkTimestamp(timestamp: unknown, where: string): asserts timestamp is number {
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || Math.abs(timestamp) > MAX_TIMESTAMP) {
    fail(where, `timestamp ${String(timestamp)} is not a time in epoch milliseconds`);
  }
}

export function checkMetricPoint(point: MetricPoint, where: string): void {
  if (typeof point !== 'object' || point === null) fail(where, 'expected { key, value, step, timestamp }');
  checkKey(point.key, `${where}.key`);
  checkMetricValue(point.value, `${where}.value`);
  checkStep(point.step, `${where}.step`);
  checkTimestamp(point.timestamp, `${where}.timestamp`);
}

/**
 * Validates a batch and returns it normalised: params deduplicated (the same key twice must carry
 * the same value), tags deduplicated with the last value winning. Metrics are left in order: among
 * repeats of (key, step) the first is the one stored.
 */
export function normaliseBatch(batch: LogBatch): Required<LogBatch> {
  if (typeof batch !== 'object' || batch === null) fail('batch', 'expected { params?, metrics?, tags?, predictions? }');
  const params = dedupe(batch.params ?? [], 'params', 'first-must-match');
  const tags = dedupe(batch.tags ?? [], 'tags', 'last-wins');
  const metrics = batch.metrics ?? [];
  if (!Array.isArray(metrics)) fail('metrics', 'must be an array');
  for (let i = 0; i < metrics.length; i += 1) checkMetricPoint(metrics[i] as MetricPoint, `metrics[${i}]`);
  const predictions = dedupePredictions(batch.predictions ?? []);
  return { params, tags, metrics, predictions };
}

const MAX_CLASSES = 64;

export function checkCasePrediction(p: CasePredictionInput, where: string): void {
  if (typeof p !== 'object' || p === null) fail(where, 'expected { split, task, caseId, label, predicted, probabilities }');
  checkTaskAndSplit(p.task, p.split, where);
  if (typeof p.caseId !== 'string' || p.caseId.length < 1 || p.caseId.length > 200) fail(`${where}.caseId`, 'must have 1 to 200 characters');
  const isCode = (v: unknown) => Number.isInteger(v) && (v as number) >= -32768 && (v as number) <= 32767;
  if (p.label !== null && !isCode(p.label)) fail(`${where}.label`, `${String(p.label)} must be a class code (integer) or null`);
  if (!isCode(p.predicted)) fail(`${where}.predicted`, `${String(p.predicted)} must be a class code (integer)`);
  if (!Array.isArray(p.probabilities) || p.probabilities.length < 1 || p.probabilities.length > MAX_CLASSES) {
    fail(`${where}.probabilities`, `must be an array of 1 to ${MAX_CLASSES} probabilities`);
  }
  p.probabilities.forEach((v, i) => {
    // NaN is kept (a diverged model's output is information); float32 softmax may overshoot 1 by an ulp.
    if (typeof v !== 'number' || (!Number.isNaN(v) && !(v >= 0 && v <= 1 + 1e-6))) {
      fail(`${where}.probabilities[${i}]`, `${String(v)} is not a probability from 0 to 1`);
    }
  });
}

/** Validates, and keeps the last of repeated (split, task, case). */
function dedupePredictions(items: readonly CasePredictionInput[]): CasePredictionInput[] {
  if (!Array.isArray(items)) fail('predictions', 'must be an array');
  const byCase = new Map<string, CasePredictionInput>();
  items.forEach((p, i) => {
    checkCasePrediction(p, `predictions[${i}]`);
    byCase.set(`${p.split}\u0000${p.task}\u0000${p.caseId}`, p);
  });
  return [...byCase.values()];
}

function dedupe(items: readonly KeyValue[], where: string, rule: 'first-must-match' | 'last-wins'): KeyValue[] {
  if (!Array.isArray(items)) fail(where, 'must be an array of { key, value }');
  const byKey = new Map<string, string>();
  items.forEach((item, i) => {
    checkKey(item?.key, `${where}[${i}].key`);
    checkText(item.value, `${where}[${i}].value`);
    const previous = byKey.get(item.key);
    if (rule === 'first-must-match' && previous !== undefined && previous !== item.value) {
      fail(`${where}[${i}]`, `param '${item.key}' appears twice with different values ('${previous}', '${item.value}')`);
    }
    if (rule === 'last-wins' || previous === undefined) byKey.set(item.key, item.value);
  });
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** Params may be given as numbers or booleans; they are stored as text. */
export function paramsToKeyValues(params: Record<string, unknown>, where = 'params'): KeyValue[] {
  if (typeof params !== 'object' || params === null) fail(where, 'expected an object of key → value');
  return Object.entries(params).map(([key, value]) => {
    checkKey(key, `${where}.${key}`);
    if (typeof value === 'string') return { key, value };
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) return { key, value: String(value) };
    return { key, value: JSON.stringify(value) };
  });
}

function checkScore(score: ScoreWithCi, where: string): void {
  if (typeof score !== 'object' || score === null) fail(where, 'expected { value, lo, hi }');
  checkMetricValue(score.value, `${where}.value`);
  for (const bound of ['lo', 'hi'] as const) {
    const v = score[bound];
    if (v !== null && typeof v !== 'number') fail(`${where}.${bound}`, 'must be a number or null');
  }
}

function checkTaskAndSplit(task: unknown, split: unknown, where: string): void {
  checkKey(task, `${where}.task`);
  if ((task as string).length > 50) fail(`${where}.task`, `'${String(task)}' is longer than 50 characters`);
  if (!SPLITS.includes(split as DataSplit)) fail(`${where}.split`, `'${String(split)}' is not one of ${SPLITS.join(', ')}`);
}

export function checkTaskResult(result: TaskResultInput, where = 'taskResult'): void {
  if (typeof result !== 'object' || result === null) fail(where, 'expected a task result');
  checkTaskAndSplit(result.task, result.split, where);
  if (!AVERAGINGS.includes(result.averaging)) {
    fail(`${where}.averaging`, `'${String(result.averaging)}' is not one of ${AVERAGINGS.join(', ')}`);
  }
  for (const name of ['accuracy', 'precision', 'recall', 'f1'] as const) checkScore(result[name], `${where}.${name}`);
  if (result.auc !== null) checkScore(result.auc, `${where}.auc`);
  if (!Number.isInteger(result.support) || result.support < 0) {
    fail(`${where}.support`, `${String(result.support)} is not a non-negative integer`);
  }
}

export function checkConfusionMatrix(matrix: ConfusionMatrixInput, where = 'confusionMatrix'): void {
  if (typeof matrix !== 'object' || matrix === null) fail(where, 'expected { task, split, labels, counts }');
  checkTaskAndSplit(matrix.task, matrix.split, where);
  const n = matrix.labels?.length ?? 0;
  if (n === 0 || !matrix.labels.every(Number.isInteger)) fail(`${where}.labels`, 'must be a non-empty list of integer class codes');
  if (new Set(matrix.labels).size !== n) fail(`${where}.labels`, `has repeated codes (${matrix.labels.join(', ')})`);
  if (!Array.isArray(matrix.counts) || matrix.counts.length !== n) fail(`${where}.counts`, `must have ${n} rows, one per label`);
  matrix.counts.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) fail(`${where}.counts[${i}]`, `must have ${n} columns`);
    row.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0) fail(`${where}.counts[${i}][${j}]`, `${String(c)} is not a non-negative integer count`);
    });
  });
}

export function checkRocCurve(curve: RocCurveInput, where = 'rocCurve'): void {
  if (typeof curve !== 'object' || curve === null) fail(where, 'expected { task, split, classCode, points }');
  checkTaskAndSplit(curve.task, curve.split, where);
  if (!Number.isInteger(curve.classCode)) fail(`${where}.classCode`, `${String(curve.classCode)} is not an integer class code`);
  if (!Array.isArray(curve.points) || curve.points.length === 0) fail(`${where}.points`, 'must be a non-empty list');
  curve.points.forEach((p, i) => {
    for (const axis of ['fpr', 'tpr'] as const) {
      const v = p?.[axis];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${where}.points[${i}].${axis}`, `${String(v)} is not in [0, 1]`);
    }
    // Thresholds start at +Infinity by convention (the point (0, 0)); NaN has no meaning here.
    if (typeof p.threshold !== 'number' || Number.isNaN(p.threshold)) {
      fail(`${where}.points[${i}].threshold`, `${String(p.threshold)} is not a number`);
    }
  });
}

export function checkArtifactPath(path: unknown, where = 'artifact.path'): asserts path is string {
  checkText(path, where);
  if (path.length === 0 || path.length > 1000) fail(where, 'must have 1 to 1000 characters');
}

export function checkArtifactKind(kind: unknown, where = 'artifact.kind'): asserts kind is string {
  checkText(kind, where);
  if (kind.length === 0 || kind.length > 50) fail(where, 'must have 1 to 50 characters (e.g. "checkpoint")');
}
