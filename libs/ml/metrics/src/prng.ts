// A small seeded generator for bootstrap resampling. Hand-written because this library may
// import no package (it sits at the bottom of the dependency graph) and Math.random cannot be
// seeded. xoshiro128** (Blackman & Vigna 2018) is fast, passes BigCrush, and uses only 32-bit
// integer operations, so test/reference/make-reference.py reproduces the exact same stream.

const UINT32 = 2 ** 32;

export interface SeededRandom {
  /** Next 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number;
}

/** xoshiro128** seeded with an integer in [0, 2^32). */
export function createRandom(seed: number): SeededRandom {
  if (!Number.isInteger(seed) || seed < 0 || seed >= UINT32) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}.`);
  }
  // SplitMix32 (a Weyl sequence through MurmurHash3's finalizer) spreads the seed over the state,
  // so that nearby seeds give unrelated streams and the state is never all zero.
  let weyl = seed;
  const splitMix32 = (): number => {
    weyl = (weyl + 0x9e3779b9) >>> 0;
    let z = weyl;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return xoshiro128StarStar([splitMix32(), splitMix32(), splitMix32(), splitMix32()]);
}

/** The generator from an explicit state (exported for the published test vector, state 1, 2, 3, 4). */
export function xoshiro128StarStar(state: readonly [number, number, number, number]): SeededRandom {
  let [s0, s1, s2, s3] = state.map((v) => v >>> 0);
  const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };

  const nextInt = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > UINT32) throw new RangeError(`nextInt needs 1 <= n <= 2^32, got ${n}.`);
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = UINT32 - (UINT32 % n);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % n;
    }
  };

  return { nextUint32, nextInt };
}
