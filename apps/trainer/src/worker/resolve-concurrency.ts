// How many worker processes 'auto' means here, from @ovus/ml-engine's measured rule.
import { availableCores, initEngine, recommendedWorkerConcurrency } from '@ovus/ml-engine';
import type { WorkerOptions } from '../commands/worker';

export async function resolveConcurrency(requested: number | 'auto', backend: WorkerOptions['backend']): Promise<number> {
  if (requested !== 'auto') return requested;
  if (backend === 'wasm' || backend === 'cpu') return recommendedWorkerConcurrency({ backend, gpu: false }, availableCores());
  if (backend === 'tensorflow') return 1;
  // 'auto' backend: only initialising tells whether native TensorFlow is installed.
  const engine = await initEngine({ backend: 'auto' });
  return recommendedWorkerConcurrency(engine);
}
