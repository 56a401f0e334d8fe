// The learning rate of each epoch: a linear warm-up, then constant, cosine or step decay.
import type { ScheduleSettings } from './loop-config';

/**
 * @param epoch 1-based
 * Warm-up epochs 1..W run at base·e/(W+1), so the ramp reaches the base rate at epoch W+1, where the
 * schedule starts. Cosine goes from the base rate towards minLearningRate over the remaining
 * epochs without reaching it (PyTorch's CosineAnnealingLR with T_max = remaining epochs).
 */
export function learningRateForEpoch(epoch: number, epochs: number, base: number, schedule: ScheduleSettings): number {
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > epochs) {
    throw new RangeError(`epoch ${epoch} is outside 1..${epochs}.`);
  }
  const warmup = schedule.warmupEpochs;
  if (epoch <= warmup) return (base * epoch) / (warmup + 1);
  const sinceWarmup = epoch - warmup - 1;
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(sinceWarmup / schedule.stepEpochs);
    case 'cosine': {
      const span = epochs - warmup;
      const t = sinceWarmup / span;
      return schedule.minLearningRate + ((base - schedule.minLearningRate) * (1 + Math.cos(Math.PI * t))) / 2;
    }
  }
}
