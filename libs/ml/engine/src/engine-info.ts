export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** What initEngine set up, and why nothing better ran. Record it with every training run. */
export interface EngineInfo {
  /** The tfjs backend now active. */
  backend: BackendName;
  requested: BackendRequest;
  /** One line per better backend that was tried and not used, e.g. "tfjs-node-gpu not installed (...)". */
  reasons: string[];
  /** wasm only: whether the SIMD build is running. */
  simd: boolean;
  /** Threads one process computes with (wasm in Node: always 1; the tensorflow backend: its own pool). */
  threads: number;
  /** true when TensorFlow's CUDA build (tfjs-node-gpu) is active. */
  gpu: boolean;
  /** npm package that provides the backend. */
  packageName: string;
  /** Kernels the engine installed on this backend (wasm: the training kernels). */
  kernels: string[];
}
