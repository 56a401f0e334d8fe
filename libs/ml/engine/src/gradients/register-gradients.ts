// Replaces a few stock gradients with cheaper equivalents (same values; fewer full-size passes).
// They are global in tfjs (one gradient per kernel name, all backends), so each replacement keeps
// the stock gradient and falls back to it wherever its fast path does not apply.
import * as tf from '@tensorflow/tfjs';
import { batchNormGradConfig } from './batch-norm-grad';
import { meanGradConfig } from './mean-grad';

const replacements: [string, (stock: tf.GradConfig) => tf.GradConfig][] = [
  ['FusedBatchNorm', batchNormGradConfig],
  ['Mean', meanGradConfig],
];

let installed = false;

export function registerTrainingGradients(): void {
  if (installed) return;
  for (const [kernelName, replace] of replacements) {
    const stock = tf.getGradient(kernelName);
    if (stock == null) throw new Error(`tfjs has no gradient for '${kernelName}' to replace (tfjs version changed?).`);
    // registerGradient logs a warning when it overrides; the override is the point here.
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      tf.registerGradient(replace(stock));
    } finally {
      console.warn = warn;
    }
  }
  installed = true;
}
