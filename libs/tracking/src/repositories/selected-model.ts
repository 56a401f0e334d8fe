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

export type ModelChoice = { ok: true; path: string; warnings: string[] } | { ok: false; reason: string };

/** Which stored model answers for a run, from its status, tags and artifact paths (no bytes read). */
export function chooseModelPath(run: Pick<RunRecord, 'id' | 'name' | 'status'>, tags: Record<string, string>, artifactPaths: readonly string[]): ModelChoice {
  const selected = run.status === 'finished' ? tags.selected_model : undefined;
  if (selected) return { ok: true, path: selected, warnings: [] };
  const best = artifactPaths
    .map((path) => ({ path, epoch: Number(BEST_MODEL.exec(path)?.[1] ?? Number.NaN) }))
    .filter((a) => Number.isFinite(a.epoch))
    .sort((a, b) => b.epoch - a.epoch)[0];
  const path = best?.path ?? (artifactPaths.includes(LATEST) ? LATEST : undefined);
  if (!path) {
    return {
      ok: false,
      reason:
        `Run ${run.id} (${run.name}, ${run.status}) has no stored model: it ${run.status === 'queued' ? 'has not started' : 'stopped before its first checkpoint'}. ` +
        `Train it (ovus rerun ${run.id} --here) or pick a finished run.`,
    };
  }
  const warnings = run.status === 'finished' ? [] : [`Run ${run.id} is ${run.status}, not finished: using ${path}, the newest model it stored, not a final selection.`];
  return { ok: true, path, warnings };
}

export async function fetchSelectedModel(store: Store, runId: string): Promise<SelectedModel> {
  const run = await store.getRun(runId);
  if (!run) throw new NoUsableModelError(`Run ${runId} does not exist.`);
  const tags = await store.getTags(runId);
  // The artifact list is read only when the tags do not settle it.
  const settled = run.status === 'finished' && tags.selected_model;
  const choice = chooseModelPath(run, tags, settled ? [] : (await store.listArtifacts(runId)).map((a) => a.path));
  if (!choice.ok) throw new NoUsableModelError(choice.reason);
  const artifact = await store.fetchArtifact(runId, choice.path);
  if (!artifact) {
    throw new NoUsableModelError(`Run ${runId} selected ${choice.path}, but that artifact is no longer stored (deleted?). Train the run again: ovus rerun ${runId}.`);
  }
  return { run, artifact, warnings: choice.warnings };
}
