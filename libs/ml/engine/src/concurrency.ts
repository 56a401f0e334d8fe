// How many training processes one machine should run at once.
//
// Measured (tools/bench/src/train.ts --concurrency, 2-core VM): the wasm backend runs one thread
// per process in Node (tfjs-backend-wasm hard-codes threads off there), and two processes on two
// cores give 1.87-1.90x the step throughput of one (1.6-1.7x for short whole sweeps, see the
// README), so a sweep should run one worker per core.
// The pure-JS cpu backend is single-threaded too. Native TensorFlow already spreads one step over
// all cores, and a GPU is one device: one process each.
import type { EngineInfo } from './engine-info';
import { availableCores } from './init-engine';

export function recommendedWorkerConcurrency(
  engine: Pick<EngineInfo, 'backend' | 'gpu'>,
  cores: number = availableCores(),
): number {
  if (engine.gpu || engine.backend === 'tensorflow') return 1;
  return Math.max(1, Math.floor(cores));
}
