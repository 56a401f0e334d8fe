// What the client queues: one entry per logging call, validated when the call was made. Entries
// are applied to a TrackingStore (all idempotent, so retrying or replaying one is safe) and, while
// the database is unreachable, written to the journal as JSON lines.
import type { TrackingStore } from '../store/tracking-store';
import type {
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
  | { kind: 'taskResult'; runId: string; result: TaskResultInput }
  | { kind: 'confusion'; runId: string; matrix: ConfusionMatrixInput }
  | { kind: 'roc'; runId: string; curve: RocCurveInput }
  | { kind: 'artifact'; runId: string; path: string; artifactKind: string; step: number | null; sha256: string; data: Buffer }
  | { kind: 'deleteArtifacts'; runId: string; paths: string[] }
  | { kind: 'heartbeat'; runId: string; at: number }
  | { kind: 'status'; runId: string; status: RunStatus; at: number; error: string | null };

/** Params, tags and metric points: merged into logBatch calls. */
export type BatchableOperation = Extract<Operation, { kind: 'metric' | 'params' | 'tags' }>;

export function isBatchable(op: Operation): op is BatchableOperation {
  return op.kind === 'metric' || op.kind === 'params' || op.kind === 'tags';
}

/** A logBatch call for one run, ready to apply or to journal. */
export interface RunBatch {
  runId: string;
  batch: Required<LogBatch>;
}

/**
 * Merges queued params/tags/metrics into per-run batches of at most `maxPoints` metric points
 * (params and tags ride with the first batch of their run).
 */
export function mergeBatchable(ops: readonly BatchableOperation[], maxPoints: number): RunBatch[] {
  const byRun = new Map<string, { params: KeyValue[]; tags: KeyValue[]; metrics: MetricPoint[] }>();
  for (const op of ops) {
    let entry = byRun.get(op.runId);
    if (!entry) byRun.set(op.runId, (entry = { params: [], tags: [], metrics: [] }));
    if (op.kind === 'metric') entry.metrics.push(op.point);
    else if (op.kind === 'params') entry.params.push(...op.items);
    else entry.tags.push(...op.items);
  }
  const batches: RunBatch[] = [];
  for (const [runId, entry] of byRun) {
    const first = entry.metrics.slice(0, maxPoints);
    batches.push({ runId, batch: { params: entry.params, tags: entry.tags, metrics: first } });
    for (let i = maxPoints; i < entry.metrics.length; i += maxPoints) {
      batches.push({ runId, batch: { params: [], tags: [], metrics: entry.metrics.slice(i, i + maxPoints) } });
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
  if (op.kind === 'params' || op.kind === 'tags') return op.items.length;
  if (op.kind === 'roc') return op.curve.points.length;
  return 1;
}
