// Checkpoints as artifacts of the run (bytes in the database's artifact_blob), so an attempt on
// any host resumes where the last one stopped. `checkpoints/latest.ckpt` is replaced every epoch;
// the best model so far is kept under its epoch, written before the checkpoint that refers to it.
import { join } from 'node:path';
import { packFolder, readTrainingState, unpackBundle, type ResumePoint } from '@ovus/ml-training';
import type { RunHandle, TrackingDatabase } from '@ovus/tracking';

export const LATEST_CHECKPOINT = 'checkpoints/latest.ckpt';

export function bestModelArtifact(epoch: number): string {
  return `checkpoints/best-epoch-${String(epoch).padStart(4, '0')}.ckpt`;
}

export async function logFolder(run: RunHandle, path: string, folder: string, kind: string, step: number): Promise<void> {
  run.logArtifactBytes(path, await packFolder(folder), { kind, step });
}

/** The last checkpoint of a run (and the best model it refers to), unpacked under `workDir`; null if none. */
export async function fetchResumePoint(database: TrackingDatabase, runId: string, workDir: string): Promise<ResumePoint | null> {
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
  if (bestEpoch === null) return { checkpointDir, bestModelDir: null };
  const best = await database.store.fetchArtifact(runId, bestModelArtifact(bestEpoch));
  if (!best) {
    throw new Error(`Run ${runId}: its checkpoint refers to the best model of epoch ${bestEpoch}, but ${bestModelArtifact(bestEpoch)} is not stored.`);
  }
  const bestModelDir = join(workDir, 'resume-best');
  await unpackBundle(best.data, bestModelDir);
  return { checkpointDir, bestModelDir };
}
