// Picks the fastest TensorFlow.js backend this machine can run: native TensorFlow (CUDA, then
// CPU) → wasm (XNNPACK, SIMD) → the pure-JS cpu backend, or the one the caller forces.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_REQUESTS, type BackendName, type BackendRequest, type EngineInfo } from './engine-info';
import { installLeanBackprop } from './gradients/lean-backprop';
import { registerTrainingGradients } from './gradients/register-gradients';
import { registerWasmTrainingKernels } from './kernels/register-wasm-kernels';
import { firstLine, importOptionalModule, type ModuleLoader } from './module-loader';
import { TENSORFLOW_CANDIDATES, tryTensorflowBackend } from './tensorflow-backend';

export interface InitEngineOptions {
  backend?: BackendRequest;
  /** How optional packages are imported; tests inject one to exercise the fallback chain. */
  loadModule?: ModuleLoader;
}

export async function initEngine(options: InitEngineOptions = {}): Promise<EngineInfo> {
  const requested = options.backend ?? 'auto';
  if (!BACKEND_REQUESTS.includes(requested)) {
    throw new Error(`Unknown backend '${String(requested)}': use one of ${BACKEND_REQUESTS.join(', ')}.`);
  }
  const load = options.loadModule ?? importOptionalModule;
  const reasons: string[] = [];
  registerTrainingGradients();
  installLeanBackprop();

  if (requested === 'auto' || requested === 'tensorflow') {
    for (const candidate of TENSORFLOW_CANDIDATES) {
      const attempt = await tryTensorflowBackend(candidate, load);
      if (attempt.ok) {
        return describe('tensorflow', requested, reasons, candidate.packageName, candidate.gpu, []);
      }
      reasons.push(attempt.reason);
    }
    if (requested === 'tensorflow') {
      throw new Error(
        `Backend 'tensorflow' was requested but is not available: ${reasons.join('; ')}. ` +
          `Install @tensorflow/tfjs-node-gpu (CUDA host) or @tensorflow/tfjs-node, or choose --backend wasm.`,
      );
    }
  }

  if (requested === 'auto' || requested === 'wasm') {
    const failure = await activate('wasm');
    if (failure == null) {
      const kernels = registerWasmTrainingKernels();
      return describe('wasm', requested, reasons, '@tensorflow/tfjs-backend-wasm', false, kernels);
    }
    reasons.push(`wasm failed to initialise (${failure})`);
    if (requested === 'wasm') {
      throw new Error(`Backend 'wasm' was requested but failed to initialise: ${failure}.`);
    }
  }

  const failure = await activate('cpu');
  if (failure != null) throw new Error(`Even the cpu backend failed to initialise: ${failure}. Reasons so far: ${reasons.join('; ')}`);
  return describe('cpu', requested, reasons, '@tensorflow/tfjs', false, []);
}

/** Sets a registered backend; returns why it failed, or undefined on success. */
async function activate(name: 'wasm' | 'cpu'): Promise<string | undefined> {
  try {
    return (await tf.setBackend(name)) ? undefined : 'setBackend returned false';
  } catch (error) {
    return firstLine(error);
  }
}

async function describe(
  backend: BackendName,
  requested: BackendRequest,
  reasons: string[],
  packageName: string,
  gpu: boolean,
  kernels: string[],
): Promise<EngineInfo> {
  await tf.ready();
  const simd = backend === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
  return {
    backend,
    requested,
    reasons: [...reasons],
    simd,
    threads: backend === 'wasm' ? getThreadsCount() : backend === 'cpu' ? 1 : nativeThreads(),
    gpu,
    packageName,
    kernels,
  };
}

// libtensorflow sizes its intra-op pool to the cores it sees unless told otherwise.
function nativeThreads(): number {
  const configured = Number(process.env.TF_NUM_INTRAOP_THREADS);
  return Number.isFinite(configured) && configured > 0 ? configured : availableCores();
}

export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
