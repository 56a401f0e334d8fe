import { initEngine, tf } from '@ovus/ml-engine';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every test file trains on the wasm backend with the engine's training kernels. */
export async function useWasm(): Promise<void> {
  const info = await initEngine({ backend: 'wasm' });
  if (info.backend !== 'wasm') throw new Error(`Tests need the wasm backend; got ${info.backend}.`);
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function temporaryFolder(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `ovus-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Max absolute difference between two tensors (disposes nothing it was given). */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Deterministic pseudo-random images in [0, 1]. */
export function images(batch: number, size: number, channels = 3, seed = 1): tf.Tensor4D {
  return tf.randomUniform([batch, size, size, channels], 0, 1, 'float32', seed) as tf.Tensor4D;
}
