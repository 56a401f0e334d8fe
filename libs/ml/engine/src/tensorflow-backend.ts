// The native TensorFlow backend: @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node.
// Both register a backend named 'tensorflow' on the @tensorflow/tfjs-core they import, which is
// the one @tensorflow/tfjs uses when the versions match (4.22.0 here).
import * as tf from '@tensorflow/tfjs';
import { firstLine, type ModuleLoader } from './module-loader';

export interface TensorflowCandidate {
  packageName: string;
  gpu: boolean;
}

export const TENSORFLOW_CANDIDATES: readonly TensorflowCandidate[] = [
  { packageName: '@tensorflow/tfjs-node-gpu', gpu: true },
  { packageName: '@tensorflow/tfjs-node', gpu: false },
];

export type TensorflowAttempt = { ok: true; candidate: TensorflowCandidate } | { ok: false; reason: string };

export async function tryTensorflowBackend(candidate: TensorflowCandidate, load: ModuleLoader): Promise<TensorflowAttempt> {
  const shortName = candidate.packageName.replace('@tensorflow/', '');
  try {
    await load(candidate.packageName);
  } catch (error) {
    const message = firstLine(error);
    const missing = /cannot find (module|package)|ERR_MODULE_NOT_FOUND/i.test(message);
    return { ok: false, reason: `${shortName} ${missing ? 'not installed' : 'failed to load'} (${message})` };
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    return {
      ok: false,
      reason:
        `${shortName} loaded but registered no 'tensorflow' backend on this @tensorflow/tfjs ` +
        `(${tf.version_core}); install the ${shortName} version that matches @tensorflow/tfjs`,
    };
  }
  try {
    if (await tf.setBackend('tensorflow')) return { ok: true, candidate };
    return { ok: false, reason: `${shortName} loaded but its backend failed to initialise` };
  } catch (error) {
    return { ok: false, reason: `${shortName} loaded but its backend failed to initialise (${firstLine(error)})` };
  }
}
