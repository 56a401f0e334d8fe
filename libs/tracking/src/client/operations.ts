// What the client queues: one entry per logging call, validated when the call was made. Entries
// are applied to a TrackingStore (all idempotent, so retrying or replaying one is safe) and, while
// the database is unreachable, written to the journal as JSON lines.
import type { TrackingStore } from '../store/tracking-store';
import type {
  CasePredictionInput,
  ConfusionMatrixInput,
  KeyValue,
  LogBatch,
  MetricPoint,
  RocCurveInput,
  RunStatus,
  TaskResultInput,
} from '../types';

export type Operation =
  | { kind: 'metric'; runId: string; point: MetricPoint }
  | { kind: 'params'; runId: string; items: KeyValue[] }
  | { kind: 'tags'; runId: string; items: KeyValue[] }
  | { kind: 'predictions'; runId: string; items: CasePredictionInput[] }
  | { kind: 'taskResult'; runId: string; result: TaskResultInput }
  | { kind: 'confusion'; runId: string; matrix: ConfusionMatrixInput }
  | { kind: 'roc'; runId: string; curve: RocCurveInput }
  | { kind: 'artifact'; runId: string; path: string; artifactKind: string; step: number | null; sha256: string; data: Buffer }
  | { kind: 'deleteArtifacts'; runId: string; paths: string[] }
  | { kind: 'heartbeat'; runId: string; at: number }
  | { kind: 'status'; runId: string; status: RunStatus; at: number; error: string | null };

/** Params, tags, metric points and per-case predictions: merged into logBatch calls. */
export type BatchableOperation = Extract<Operation, { kind: 'metric' | 'params' | 'tags' | 'predictions' }>;

export function isBatchable(op: Operation): op is BatchableOperation {
  return op.kind === 'metric' || op.kind === 'params' || op.kind === 'tags' || op.kind === 'predictions';
}

/** A logBatch call for one run, ready to apply or to journal. */
export interface RunBatch {
  runId: string;
  batch: Required<LogBatch>;
}

/**
 * Merges queued params/tags/metrics/predictions into per-run batches of at most `maxPoints` metric
 * points and `maxPoints` predictions (params and tags ride with the first batch of their run).
 */
export function mergeBatchable(ops: readonly BatchableOperation[], maxPoints: number): RunBatch[] {
  const byRun = new Map<string, { params: KeyValue[]; tags: KeyValue[]; metrics: MetricPoint[]; predictions: CasePredictionInput[] }>();
  for (const op of ops) {
    let entry = byRun.get(op.runId);
    if (!entry) byRun.set(op.runId, (entry = { params: [], tags: [], metrics: [], predictions: [] }));
    if (op.kind === 'metric') entry.metrics.push(op.point);
    else if (op.kind === 'params') entry.params.push(...op.items);
    else if (op.kind === 'tags') entry.tags.push(...op.items);
    else entry.predictions.push(...op.items);
  }
  const batches: RunBatch[] = [];
  for (const [runId, entry] of byRun) {
    const parts = Math.max(1, Math.ceil(entry.metrics.length / maxPoints), Math.ceil(entry.predictions.length / maxPoints));
    for (let part = 0; part < parts; part += 1) {
      const range = [part * maxPoints, (part + 1) * maxPoints] as const;
      batches.push({
        runId,
        batch: {
          params: part === 0 ? entry.params : [],
          tags: part === 0 ? entry.tags : [],
          metrics: entry.metrics.slice(...range),
          predictions: entry.predictions.slice(...range),
        },
      });
    }
  }
  return batches;
}

/** Applies one non-batchable operation. */
export async function applySingle(store: TrackingStore, op: Exclude<Operation, BatchableOperation>): Promise<void> {
  switch (op.kind) {
    case 'taskResult':
      return store.saveTaskResult(op.runId, op.result);
    case 'confusion':
      return store.saveConfusionMatrix(op.runId, op.matrix);
    case 'roc':
      return store.saveRocCurve(op.runId, op.curve);
    case 'artifact':
      await store.saveArtifact(op.runId, { path: op.path, kind: op.artifactKind, step: op.step, sha256: op.sha256, data: op.data });
      return;
    case 'deleteArtifacts':
      await store.deleteArtifacts(op.runId, op.paths);
      return;
    case 'heartbeat':
      return store.heartbeat(op.runId, op.at);
    case 'status':
      return store.setRunStatus(op.runId, op.status, { at: op.at, error: op.error });
  }
}

/** The number of rows an operation stands for, to size batches. */
export function weight(op: Operation): number {
  if (op.kind === 'params' || op.kind === 'tags' || op.kind === 'predictions') return op.items.length;
  if (op.kind === 'roc') return op.curve.points.length;
  return 1;
}
