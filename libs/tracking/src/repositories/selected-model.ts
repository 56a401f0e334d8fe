// Which stored model of a run answers predictions: the one the run selected when it finished (its
// `selected_model` tag: the best epoch on validation, or the last checkpoint when there was no
// validation). A run that has not finished offers its newest best-epoch model, with a warning.
import type { TrackingStore } from '../store/tracking-store';
import type { FetchedArtifact, RunRecord } from '../types';

const BEST_MODEL = /^checkpoints\/best-epoch-(\d{4,})\.ckpt$/;
const LATEST = 'checkpoints/latest.ckpt';

/** The run exists but holds no model that can be used. */
export class NoUsableModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoUsableModelError';
  }
}

export interface SelectedModel {
  run: RunRecord;
  artifact: FetchedArtifact;
  /** E.g. that the run has not finished. */
  warnings: string[];
}

type Store = Pick<TrackingStore, 'getRun' | 'getTags' | 'listArtifacts' | 'fetchArtifact'>;

export async function fetchSelectedModel(store: Store, runId: string): Promise<SelectedModel> {
  const run = await store.getRun(runId);
  if (!run) throw new NoUsableModelError(`Run ${runId} does not exist.`);
  const tags = await store.getTags(runId);
  const warnings: string[] = [];
  let path = run.status === 'finished' ? tags.selected_model : undefined;
  if (!path) {
    const artifacts = await store.listArtifacts(runId);
    const best = artifacts
      .map((a) => ({ path: a.path, epoch: Number(BEST_MODEL.exec(a.path)?.[1] ?? Number.NaN) }))
      .filter((a) => Number.isFinite(a.epoch))
      .sort((a, b) => b.epoch - a.epoch)[0];
    path = best?.path ?? (artifacts.some((a) => a.path === LATEST) ? LATEST : undefined);
    if (!path) {
      throw new NoUsableModelError(
        `Run ${runId} (${run.name}, ${run.status}) has no stored model: it ${run.status === 'queued' ? 'has not started' : 'stopped before its first checkpoint'}. ` +
          `Train it (ovus rerun ${runId} --here) or pick a finished run.`,
      );
    }
    if (run.status !== 'finished') warnings.push(`Run ${runId} is ${run.status}, not finished: using ${path}, the newest model it stored, not a final selection.`);
  }
  const artifact = await store.fetchArtifact(runId, path);
  if (!artifact) {
    throw new NoUsableModelError(`Run ${runId} selected ${path}, but that artifact is no longer stored (deleted?). Train the run again: ovus rerun ${runId}.`);
  }
  return { run, artifact, warnings };
}
