// Runs the same computation on the cpu backend (the reference) and on wasm with the engine's
// kernels, from identical seeded inputs, and reports the largest difference.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat32 } from 'pure-rand/distribution/uniformFloat32';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { tf } from '../src';

export type RandomGenerator = ReturnType<typeof xoroshiro128plus>;

export function seeded(seed: number): RandomGenerator {
  return xoroshiro128plus(seed);
}

export function randomValues(rng: RandomGenerator, size: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = 2 * uniformFloat32(rng) - 1;
  return values;
}

export function randomInt(rng: RandomGenerator, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

export function pick<T>(rng: RandomGenerator, options: readonly T[]): T {
  return options[uniformInt(rng, 0, options.length - 1)];
}

export interface Difference {
  maxAbsError: number;
  /** Largest magnitude in the cpu result; errors are judged relative to it. */
  scale: number;
  relative: number;
}

/**
 * Runs `compute` on wasm and `reference` (default: the same computation) on cpu, and compares
 * every output element.
 */
export async function compareWithCpu(
  compute: () => tf.Tensor | tf.Tensor[],
  reference: () => tf.Tensor | tf.Tensor[] = compute,
): Promise<Difference> {
  const run = async (backend: string): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const out = backend === 'cpu' ? reference() : compute();
      return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()));
    });
  };
  const expected = await run('cpu');
  const actual = await run('wasm');
  let maxAbsError = 0;
  let scale = 0;
  expected.forEach((reference, i) => {
    if (reference.length !== actual[i].length) throw new Error(`output ${i}: ${actual[i].length} values on wasm, ${reference.length} on cpu`);
    for (let k = 0; k < reference.length; k++) {
      maxAbsError = Math.max(maxAbsError, Math.abs(reference[k] - actual[i][k]));
      scale = Math.max(scale, Math.abs(reference[k]));
    }
  });
  return { maxAbsError, scale, relative: maxAbsError / Math.max(scale, 1e-12) };
}

/** Collects the worst error per kernel so the suite can print them (README's table comes from here). */
export class ErrorReport {
  private readonly worst = new Map<string, Difference & { cases: number }>();

  record(kernel: string, difference: Difference): void {
    const previous = this.worst.get(kernel);
    const cases = (previous?.cases ?? 0) + 1;
    if (!previous || difference.relative > previous.relative) this.worst.set(kernel, { ...difference, cases });
    else previous.cases = cases;
  }

  print(): void {
    const lines = [...this.worst.entries()].map(
      ([kernel, d]) =>
        `${kernel.padEnd(38)} cases ${String(d.cases).padStart(3)}  max abs err ${d.maxAbsError.toExponential(2)}  ` +
        `(relative ${d.relative.toExponential(2)} of max |value| ${d.scale.toFixed(2)})`,
    );
    console.log(`wasm vs cpu, worst case per kernel:\n${lines.join('\n')}`);
  }
}

export const RELATIVE_TOLERANCE = 1e-4;
