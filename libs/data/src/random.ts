// One seeded random source for augmentation, splits and the phantom, so that "same seed, same
// result" holds everywhere. pure-rand's generators are small, fast and portable (no Math.random).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type Rng = RandomGenerator;

/** Seeds are 32-bit integers (what xoroshiro128plus takes); anything else is refused. */
export function assertSeed(seed: number, where: string): void {
  if (!Number.isInteger(seed) || seed < -0x8000_0000 || seed > 0xffff_ffff) {
    throw new RangeError(`${where}: seed must be an integer between -2^31 and 2^32-1, got ${seed}.`);
  }
}

/**
 * pure-rand's xoroshiro128plus(seed) puts the seed into the state almost as is, so nearby seeds
 * give visibly correlated first draws (seeds 1, 2, 3… alternate high/low). The full 128-bit state
 * is filled from splitmix32 instead, the standard remedy (hand-written: a few lines, no package).
 */
function seededGenerator(seed: number): Rng {
  let x = seed | 0;
  const splitmix32 = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  const state = [splitmix32(), splitmix32(), splitmix32(), splitmix32()];
  if (!state.some((w) => w !== 0)) state[0] = 1; // the all-zero state never leaves zero
  return xoroshiro128plusFromState(state);
}

export function createRng(seed: number): Rng {
  assertSeed(seed, 'createRng');
  return seededGenerator(seed);
}

/** Uniform in [0, 1). */
export function nextUnit(rng: Rng): number {
  return uniformFloat64(rng);
}

/** Uniform in [min, max). */
export function nextBetween(rng: Rng, min: number, max: number): number {
  return min + (max - min) * uniformFloat64(rng);
}

/** Integer uniform in [min, max], both included. */
export function nextInt(rng: Rng, min: number, max: number): number {
  return uniformInt(rng, min, max);
}

export function nextBool(rng: Rng, probability = 0.5): boolean {
  return uniformFloat64(rng) < probability;
}

/** Standard normal (Box–Muller); the second value is dropped to keep the stream simple. */
export function nextNormal(rng: Rng): number {
  const u = 1 - uniformFloat64(rng); // (0, 1]: log(0) never happens
  const v = uniformFloat64(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A new generator derived from a seed and a label, for independent streams (per case, per part). */
export function deriveRng(seed: number, ...labels: (string | number)[]): Rng {
  assertSeed(seed, 'deriveRng');
  // FNV-1a over the labels, mixed with the seed: cheap, stable across platforms.
  let h = 0x811c9dc5 ^ (seed | 0);
  for (const label of labels) {
    const text = `${label}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return seededGenerator(h);
}
