// A started run: the client's logging calls with the run id filled in.
import type { CasePredictionInput, ConfusionMatrixInput, FetchedArtifact, RocCurveInput, RunRecord, TaskResultInput, TerminalRunStatus } from '../types';
import type { LogArtifactOptions, LoggedArtifact, TrackingClient } from './tracking-client';

/** A started run: the client's logging calls with the run id filled in. */
export class RunHandle {
  constructor(
    private readonly client: TrackingClient,
    readonly run: RunRecord,
  ) {}

  get id(): string {
    return this.run.id;
  }

  logParams(params: Record<string, unknown>): void {
    this.client.logParams(this.id, params);
  }
  logParam(key: string, value: unknown): void {
    this.client.logParam(this.id, key, value);
  }
  setTags(tags: Record<string, string>): void {
    this.client.setTags(this.id, tags);
  }
  setTag(key: string, value: string): void {
    this.client.setTag(this.id, key, value);
  }
  logMetric(key: string, value: number, step: number, timestamp?: number): void {
    this.client.logMetric(this.id, key, value, step, timestamp);
  }
  logMetrics(values: Record<string, number>, step: number, timestamp?: number): void {
    this.client.logMetrics(this.id, values, step, timestamp);
  }
  logTaskResult(result: TaskResultInput): void {
    this.client.logTaskResult(this.id, result);
  }
  logConfusionMatrix(matrix: ConfusionMatrixInput): void {
    this.client.logConfusionMatrix(this.id, matrix);
  }
  logPredictions(predictions: readonly CasePredictionInput[]): void {
    this.client.logPredictions(this.id, predictions);
  }
  logRocCurve(curve: RocCurveInput): void {
    this.client.logRocCurve(this.id, curve);
  }
  logArtifact(file: string, options?: LogArtifactOptions): Promise<LoggedArtifact> {
    return this.client.logArtifact(this.id, file, options);
  }
  logArtifactBytes(path: string, data: Uint8Array, options?: Omit<LogArtifactOptions, 'path'>): LoggedArtifact {
    return this.client.logArtifactBytes(this.id, path, data, options);
  }
  deleteArtifacts(paths: readonly string[]): void {
    this.client.deleteArtifacts(this.id, paths);
  }
  fetchArtifact(path: string, toFile?: string): Promise<FetchedArtifact> {
    return this.client.fetchArtifact(this.id, path, toFile);
  }
  heartbeat(): void {
    this.client.heartbeat(this.id);
  }
  end(status: TerminalRunStatus, error?: string): Promise<void> {
    return this.client.endRun(this.id, status, error);
  }
}
