// The in-memory TrackingStore for unit tests: the same semantics as PostgresTrackingStore, checked
// by the same contract suite, with nothing to start.
import { createHash, randomUUID } from 'node:crypto';
import { ParamConflictError, TrackingInputError, UnknownRunError } from '../errors';
import type {
  ArtifactInfo,
  ArtifactInput,
  CasePredictionInput,
  ConfusionMatrixInput,
  CreateRunInput,
  DataSplit,
  FetchedArtifact,
  LogBatch,
  MetricPoint,
  RocCurveInput,
  RocPointInput,
  RunRecord,
  RunStatus,
  TaskResultInput,
  TaskResultRecord,
} from '../types';
import {
  checkArtifactKind,
  checkArtifactPath,
  checkConfusionMatrix,
  checkKey,
  checkRocCurve,
  checkRunId,
  checkStep,
  checkTaskResult,
  checkTimestamp,
  normaliseBatch,
} from '../validation';
import type { PruneOrphanBlobsResult } from '../repositories/artifact-blobs';
import { staleMessage } from './stale';
import {
  checkMaxPoints,
  downsampleStride,
  TERMINAL_STATUSES,
  type MetricHistoryOptions,
  type PredictionFilter,
  type SetRunStatusOptions,
  type TrackingStore,
} from './tracking-store';

interface RunData {
  run: RunRecord;
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: Map<string, Map<number, MetricPoint>>;
  latest: Map<string, MetricPoint>;
  taskResults: Map<string, TaskResultRecord>;
  confusions: Map<string, ConfusionMatrixInput>;
  roc: Map<string, RocPointInput[]>;
  artifacts: Map<string, ArtifactInfo>;
  predictions: Map<string, CasePredictionInput>;
}

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryTrackingStore implements TrackingStore {
  private readonly runs = new Map<string, RunData>();
  private readonly blobs = new Map<string, Buffer>();

  private data(runId: string): RunData {
    checkRunId(runId);
    const data = this.runs.get(runId);
    if (!data) throw new UnknownRunError(runId);
    return data;
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const { params, metrics, tags, predictions } = normaliseBatch(batch);
    const data = this.data(runId);
    const conflicts = params
      .filter((p) => data.params.has(p.key) && data.params.get(p.key) !== p.value)
      .map((p) => ({ key: p.key, stored: data.params.get(p.key) as string, given: p.value }))
      .sort((a, b) => byText(a.key, b.key));
    if (conflicts.length > 0) throw new ParamConflictError(runId, conflicts);
    for (const p of params) data.params.set(p.key, p.value);
    for (const t of tags) data.tags.set(t.key, t.value);
    for (const p of predictions) data.predictions.set(`${p.split}\u0000${p.task}\u0000${p.caseId}`, clone({ ...p, probabilities: [...p.probabilities] }));
    for (const m of metrics) {
      let series = data.metrics.get(m.key);
      if (!series) data.metrics.set(m.key, (series = new Map()));
      if (series.has(m.step)) continue; // the first value written for a step stays
      const point = { key: m.key, value: m.value, step: m.step, timestamp: m.timestamp };
      series.set(m.step, point);
      const latest = data.latest.get(m.key);
      if (!latest || point.step > latest.step) data.latest.set(m.key, point);
    }
  }

  async createRun(input: CreateRunInput): Promise<{ run: RunRecord; created: boolean }> {
    const id = input.id ?? randomUUID();
    checkRunId(id, 'createRun.id');
    const existing = this.runs.get(id);
    if (existing) return { run: clone(existing.run), created: false };
    const run: RunRecord = {
      id,
      projectId: input.projectId,
      sweepId: input.sweepId ?? null,
      groupKey: input.groupKey ?? null,
      name: input.name,
      status: input.status ?? 'queued',
      backbone: input.backbone,
      tasks: [...input.tasks],
      imageSize: input.imageSize,
      seed: input.seed,
      fold: input.fold ?? null,
      config: clone(input.config),
      gitCommit: input.gitCommit ?? null,
      datasetVersionId: input.datasetVersionId ?? null,
      splitId: input.splitId ?? null,
      tfjsBackend: input.tfjsBackend ?? null,
      host: input.host ?? null,
      hardware: input.hardware === undefined ? null : clone(input.hardware),
      attempt: input.attempt ?? 0,
      createdAt: Date.now(),
      startedAt: null,
      endedAt: null,
      heartbeatAt: null,
      durationMs: null,
      errorText: null,
    };
    this.runs.set(id, {
      run,
      params: new Map(),
      tags: new Map(),
      metrics: new Map(),
      latest: new Map(),
      taskResults: new Map(),
      confusions: new Map(),
      roc: new Map(),
      artifacts: new Map(),
      predictions: new Map(),
    });
    return { run: clone(run), created: true };
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    checkRunId(runId);
    const data = this.runs.get(runId);
    return data ? clone(data.run) : null;
  }

  async setRunStatus(runId: string, status: RunStatus, options: SetRunStatusOptions = {}): Promise<void> {
    const at = options.at ?? Date.now();
    checkTimestamp(at, 'setRunStatus.at');
    const { run } = this.data(runId);
    run.status = status;
    if (status === 'running') {
      run.startedAt ??= at;
      run.heartbeatAt = Math.max(run.heartbeatAt ?? at, at);
      run.endedAt = null;
      run.durationMs = null;
      run.errorText = null;
    } else if (TERMINAL_STATUSES.includes(status)) {
      run.endedAt = at;
      run.durationMs = run.startedAt === null ? null : Math.round(at - run.startedAt);
      run.errorText = options.error ?? null;
    } else {
      run.endedAt = null;
      run.durationMs = null;
    }
  }

  async heartbeat(runId: string, at: number): Promise<void> {
    checkTimestamp(at, 'heartbeat.at');
    const { run } = this.data(runId);
    run.heartbeatAt = Math.max(run.heartbeatAt ?? at, at);
    // A run marked stale that turns out to be alive goes back to running.
    if (run.status === 'stale' && run.endedAt !== null && at > run.endedAt) {
      run.status = 'running';
      run.endedAt = null;
      run.durationMs = null;
      run.errorText = null;
    }
  }

  async markStaleRuns(olderThanMs: number, now = Date.now()): Promise<string[]> {
    const marked: string[] = [];
    for (const { run } of this.runs.values()) {
      const lastSign = run.heartbeatAt ?? run.startedAt;
      if (run.status !== 'running' || (lastSign ?? run.createdAt) >= now - olderThanMs) continue;
      run.status = 'stale';
      run.endedAt = now;
      run.durationMs = run.startedAt === null ? null : Math.round(now - run.startedAt);
      run.errorText = staleMessage(lastSign, olderThanMs, run.host);
      marked.push(run.id);
    }
    return marked.sort();
  }

  async markEndingInJournal(runId: string, explanation: string, now = Date.now()): Promise<void> {
    const run = this.runs.get(runId)?.run;
    if (!run || run.status !== 'running') return;
    run.status = 'stale';
    run.endedAt = now;
    run.durationMs = run.startedAt === null ? null : Math.round(now - run.startedAt);
    run.errorText = explanation;
  }

  async saveTaskResult(runId: string, result: TaskResultInput): Promise<void> {
    checkTaskResult(result);
    const data = this.data(runId);
    const key = `${result.task}\u0000${result.split}\u0000${result.averaging}`;
    const createdAt = data.taskResults.get(key)?.createdAt ?? Date.now();
    data.taskResults.set(key, { ...clone(result), createdAt });
  }

  async saveConfusionMatrix(runId: string, matrix: ConfusionMatrixInput): Promise<void> {
    checkConfusionMatrix(matrix);
    this.data(runId).confusions.set(`${matrix.task}\u0000${matrix.split}`, clone(matrix));
  }

  async saveRocCurve(runId: string, curve: RocCurveInput): Promise<void> {
    checkRocCurve(curve);
    const points = curve.points.map((p) => ({ fpr: p.fpr, tpr: p.tpr, threshold: p.threshold }));
    this.data(runId).roc.set(`${curve.task}\u0000${curve.split}\u0000${curve.classCode}`, points);
  }

  async saveArtifact(runId: string, artifact: ArtifactInput): Promise<ArtifactInfo> {
    checkArtifactPath(artifact.path);
    checkArtifactKind(artifact.kind);
    if (artifact.step !== null) checkStep(artifact.step, 'artifact.step');
    const data = this.data(runId);
    const bytes = Buffer.from(artifact.data);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== artifact.sha256) {
      throw new TrackingInputError(`artifact '${artifact.path}': its bytes hash to ${sha256}, not the given ${artifact.sha256}`);
    }
    if (!this.blobs.has(sha256)) this.blobs.set(sha256, bytes);
    const replaced = data.artifacts.get(artifact.path)?.sha256;
    const info: ArtifactInfo = {
      path: artifact.path,
      kind: artifact.kind,
      sha256,
      bytes: bytes.length,
      uri: `db:${sha256}`,
      step: artifact.step,
      createdAt: Date.now(),
    };
    data.artifacts.set(artifact.path, info);
    if (replaced !== undefined && replaced !== sha256 && !this.isReferenced(replaced)) this.blobs.delete(replaced);
    return { ...info };
  }

  async deleteArtifacts(runId: string, paths: readonly string[]): Promise<number> {
    for (const path of paths) checkArtifactPath(path);
    const data = this.data(runId);
    let deleted = 0;
    for (const path of new Set(paths)) {
      const info = data.artifacts.get(path);
      if (!info) continue;
      data.artifacts.delete(path);
      deleted += 1;
      if (!this.isReferenced(info.sha256)) this.blobs.delete(info.sha256);
    }
    return deleted;
  }

  async pruneOrphanBlobs(): Promise<PruneOrphanBlobsResult> {
    const result = { blobs: 0, bytes: 0 };
    for (const [sha256, bytes] of this.blobs) {
      if (this.isReferenced(sha256)) continue;
      this.blobs.delete(sha256);
      result.blobs += 1;
      result.bytes += bytes.length;
    }
    return result;
  }

  /** The sha256 of every stored blob (for tests). */
  storedBlobs(): string[] {
    return [...this.blobs.keys()];
  }

  private isReferenced(sha256: string): boolean {
    for (const run of this.runs.values()) {
      for (const artifact of run.artifacts.values()) if (artifact.sha256 === sha256) return true;
    }
    return false;
  }

  async fetchArtifact(runId: string, path: string): Promise<FetchedArtifact | null> {
    const info = this.data(runId).artifacts.get(path);
    if (!info) return null;
    return { ...info, data: Buffer.from(this.blobs.get(info.sha256) as Buffer) };
  }

  async getParams(runId: string): Promise<Record<string, string>> {
    return Object.fromEntries([...this.data(runId).params].sort(([a], [b]) => byText(a, b)));
  }

  async getTags(runId: string): Promise<Record<string, string>> {
    return Object.fromEntries([...this.data(runId).tags].sort(([a], [b]) => byText(a, b)));
  }

  async getMetricHistory(runId: string, key: string, options: MetricHistoryOptions = {}): Promise<MetricPoint[]> {
    checkKey(key, 'key');
    checkMaxPoints(options.maxPoints);
    const series = [...(this.data(runId).metrics.get(key)?.values() ?? [])].sort((a, b) => a.step - b.step);
    if (options.maxPoints === undefined) return series.map((p) => ({ ...p }));
    const stride = downsampleStride(series.length, options.maxPoints);
    return series.filter((_, i) => i % stride === 0 || i === series.length - 1).map((p) => ({ ...p }));
  }

  async getLatestMetrics(runId: string): Promise<MetricPoint[]> {
    return [...this.data(runId).latest.values()].sort((a, b) => byText(a.key, b.key)).map((p) => ({ ...p }));
  }

  async getTaskResults(runId: string): Promise<TaskResultRecord[]> {
    return [...this.data(runId).taskResults.values()]
      .sort(compareResults)
      .map(clone);
  }

  async getConfusionMatrices(runId: string): Promise<ConfusionMatrixInput[]> {
    return [...this.data(runId).confusions.values()]
      .sort(compareMatrices)
      .map(clone);
  }

  async getRocCurve(runId: string, task: string, split: DataSplit, classCode: number): Promise<RocPointInput[]> {
    return clone(this.data(runId).roc.get(`${task}\u0000${split}\u0000${classCode}`) ?? []);
  }

  async listArtifacts(runId: string): Promise<ArtifactInfo[]> {
    return [...this.data(runId).artifacts.values()].sort((a, b) => byText(a.path, b.path)).map((a) => ({ ...a }));
  }

  async getPredictions(runId: string, filter: PredictionFilter = {}): Promise<CasePredictionInput[]> {
    return [...this.data(runId).predictions.values()]
      .filter((p) => (filter.split === undefined || p.split === filter.split) && (filter.task === undefined || p.task === filter.task))
      .sort((a, b) => SPLIT_ORDER[a.split] - SPLIT_ORDER[b.split] || byText(a.task, b.task) || byText(a.caseId, b.caseId))
      .map(clone);
  }

  async ping(): Promise<void> {}
}

// Orders like the SQL store: text by code point (it sorts with COLLATE "C"), enums by declaration.
const SPLIT_ORDER: Record<DataSplit, number> = { train: 0, validation: 1, test: 2 };
const AVERAGING_ORDER: Record<string, number> = { binary: 0, macro: 1, weighted: 2 };

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareResults(a: TaskResultInput, b: TaskResultInput): number {
  return (
    byText(a.task, b.task) ||
    SPLIT_ORDER[a.split] - SPLIT_ORDER[b.split] ||
    (AVERAGING_ORDER[a.averaging] ?? 0) - (AVERAGING_ORDER[b.averaging] ?? 0)
  );
}

function compareMatrices(a: ConfusionMatrixInput, b: ConfusionMatrixInput): number {
  return byText(a.task, b.task) || SPLIT_ORDER[a.split] - SPLIT_ORDER[b.split];
}
