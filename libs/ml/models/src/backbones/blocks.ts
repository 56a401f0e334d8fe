import { tf } from '@ovus/ml-engine';
import type { FamilyTraits } from '../backbone-options';

// Building blocks shared by the convolutional families, mirroring Keras applications' helpers.

export type Sym = tf.SymbolicTensor;

export function call(layer: tf.layers.Layer, input: Sym | Sym[]): Sym {
  return layer.apply(input) as Sym;
}

export function channelsOf(x: Sym): number {
  return x.shape[x.shape.length - 1] as number;
}

/** Keras' `_make_divisible` / `_depth`: round to a multiple of `divisor`, never below 90 %. */
export function makeDivisible(value: number, divisor = 8, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Blocks kept in a stage of `count` repeats under a depth multiplier (at least one). */
export function scaleRepeats(count: number, depthMultiplier: number): number {
  return Math.max(1, Math.round(count * depthMultiplier));
}

/** Keras' `imagenet_utils.correct_pad`: the padding that makes a strided 'valid' conv match TF. */
export function correctPad(x: Sym, kernelSize: number): [[number, number], [number, number]] {
  const height = x.shape[1] as number;
  const width = x.shape[2] as number;
  const correct = Math.floor(kernelSize / 2);
  return [
    [correct - (1 - (height % 2)), correct],
    [correct - (1 - (width % 2)), correct],
  ];
}

/** The five stride-2 reductions of every CNN here: sizes are whole multiples of 32. */
export const CNN_TRAITS: FamilyTraits = {
  inputSize: {
    minimum: 32,
    step: 32,
    why: 'the network halves the image five times, so the side must be a multiple of 32',
  },
  normalization: 'torch',
  poolings: ['avg', 'max'],
};
