// tfjs draws the seed of every random op that is not given one from Math.random
// (tfjs-core rand_util: `seed ? seed : Math.random()`), and the layers API gives none to its
// initialisers or to Dropout. So seeded weight initialisation and dropout are only possible by
// pointing Math.random at a seeded stream while tfjs builds or trains — which this does, for a
// synchronous call only (an await inside would let unrelated code draw from the stream).
import type { Rng } from '@ovus/data';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export function withSeededMathRandom<T>(rng: Rng, fn: () => T): T {
  const original = Math.random;
  Math.random = () => uniformFloat64(rng);
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new TypeError('withSeededMathRandom takes a synchronous function; the seeded stream would leak across the await.');
    }
    return result;
  } finally {
    Math.random = original;
  }
}

/** Lets timers (lease heartbeats, the tracking flusher) run between synchronous training steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
