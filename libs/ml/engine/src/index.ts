// One tfjs instance for the whole workspace: every library imports `tf` from here, so the
// backend initEngine picks (and the kernels it registers) is the one they all run on.
import * as tf from '@tensorflow/tfjs';

export { tf };
export { initEngine, availableCores, type InitEngineOptions } from './init-engine';
export { BACKEND_REQUESTS, type BackendName, type BackendRequest, type EngineInfo } from './engine-info';
export { recommendedWorkerConcurrency } from './concurrency';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/register-wasm-kernels';
export type { ModuleLoader } from './module-loader';
export { createAdamOptimizer, FusedAdamOptimizer, registerFusedAdamKernels } from './optimizers/fused-adam';
export { registerTrainingGradients } from './gradients/register-gradients';
export { isEngineCrash, WASM_HEAP_LIMIT_BYTES } from './engine-crash';
export { installLeanBackprop, setLeanBackprop } from './gradients/lean-backprop';
