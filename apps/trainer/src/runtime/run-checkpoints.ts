// Checkpoints as artifacts of the run (bytes in the database's artifact_blob), so an attempt on
// any host resumes where the last one stopped. `checkpoints/latest.ckpt` is replaced every epoch;
// the best model so far is kept under its epoch, written before the checkpoint that refers to it.
// Once a checkpoint refers to a newer best model, the older ones are deleted (queued behind that
// checkpoint), so a run keeps one best model however often validation improves.
import { join } from 'node:path';
import { packFolder, readTrainingState, unpackBundle, type ResumePoint } from '@ovus/ml-training';
import type { RunHandle, TrackingDatabase, TrackingStore } from '@ovus/tracking';

export const LATEST_CHECKPOINT = 'checkpoints/latest.ckpt';

export function bestModelArtifact(epoch: number): string {
  return `checkpoints/best-epoch-${String(epoch).padStart(4, '0')}.ckpt`;
}

const BEST_MODEL_PATH = /^checkpoints\/best-epoch-(\d{4,})\.ckpt$/;

/**
 * The best-model artifacts a run holds, so that each checkpoint can delete those it no longer
 * refers to. Seeded from the stored artifacts when an attempt starts (earlier attempts' too).
 */
export class BestModelArtifacts {
  private readonly epochs = new Set<number>();

  static async load(store: Pick<TrackingStore, 'listArtifacts'>, runId: string): Promise<BestModelArtifacts> {
    const known = new BestModelArtifacts();
    for (const artifact of await store.listArtifacts(runId)) {
      const match = BEST_MODEL_PATH.exec(artifact.path);
      if (match) known.epochs.add(Number(match[1]));
    }
    return known;
  }

  logged(epoch: number): void {
    this.epochs.add(epoch);
  }

  /** Deletes every best model but the one the checkpoint just logged refers to (`keep`; null: none yet). */
  pruneAfterCheckpoint(run: RunHandle, keep: number | null): void {
    const superseded = [...this.epochs].filter((epoch) => epoch !== keep);
    if (superseded.length === 0) return;
    run.deleteArtifacts(superseded.map(bestModelArtifact));
    for (const epoch of superseded) this.epochs.delete(epoch);
  }
}

export async function logFolder(run: RunHandle, path: string, folder: string, kind: string, step: number): Promise<void> {
  run.logArtifactBytes(path, await packFolder(folder), { kind, step });
}

/** The last checkpoint of a run (and the best model it refers to), unpacked under `workDir`; null if none. */
export async function fetchResumePoint(database: TrackingDatabase, runId: string, workDir: string): Promise<(ResumePoint & { epoch: number }) | null> {
  const latest = await database.store.fetchArtifact(runId, LATEST_CHECKPOINT);
  if (!latest) return null;
  const checkpointDir = join(workDir, 'resume-checkpoint');
  await unpackBundle(latest.data, checkpointDir);
  const state = await readTrainingState(checkpointDir);
  const bestEpoch = state.selection.bestEpoch;
  // Also when the checkpoint's own epoch is the best so far: if no later epoch beats it, the final
  // scores need that model, and the loop keeps it only in a best-model folder. (Leaving it out made
  // a run resumed at its last epoch fail with "The best model (epoch N) is needed for the final
  // scores, but no folder holds it".)
  if (bestEpoch === null) return { checkpointDir, bestModelDir: null, epoch: state.epoch };
  const best = await database.store.fetchArtifact(runId, bestModelArtifact(bestEpoch));
  if (!best) {
    throw new Error(`Run ${runId}: its checkpoint refers to the best model of epoch ${bestEpoch}, but ${bestModelArtifact(bestEpoch)} is not stored.`);
  }
  const bestModelDir = join(workDir, 'resume-best');
  await unpackBundle(best.data, bestModelDir);
  return { checkpointDir, bestModelDir, epoch: state.epoch };
}
