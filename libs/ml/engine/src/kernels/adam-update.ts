// OvusAdamUpdate: Adam's update of one variable as one kernel with three outputs (new value, new
// first moment, new second moment). wasm runs it as one SIMD pass (simd/adam-module.ts); the cpu
// backend gets the same arithmetic in plain JS so the optimizer works, and can be tested, on both.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { adamUpdateFor } from '../simd/adam-module';
import { wasmMemory } from '../simd/memory';
import { floatOffset } from './wasm-kernel-context';

export const ADAM_UPDATE = 'OvusAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** 1 - beta1^t and 1 - beta2^t for this step t (the bias corrections). */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

type AdamInputs = Record<'value' | 'gradient' | 'm' | 'v', TensorInfo>;

function adamWasm(args: { inputs: AdamInputs; backend: BackendWasm; attrs: AdamUpdateAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { value, gradient, m, v } = inputs;
  const outputs = [0, 1, 2].map(() => backend.makeOutput(value.shape, 'float32'));
  const memory = wasmMemory(backend);
  const bytes = (x: TensorInfo) => floatOffset(backend, x) * 4;
  adamUpdateFor(memory)(
    bytes(value), bytes(gradient), bytes(m), bytes(v), bytes(outputs[0]), bytes(outputs[1]), bytes(outputs[2]),
    util.sizeFromShape(value.shape),
    attrs.beta1, 1 - attrs.beta1, attrs.beta2, 1 - attrs.beta2, attrs.oneMinusAccBeta1, attrs.oneMinusAccBeta2,
    attrs.epsilon, -attrs.learningRate,
  );
  return outputs;
}

interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function adamCpu(args: { inputs: AdamInputs; backend: CpuBackendLike; attrs: AdamUpdateAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const read = (x: TensorInfo) => backend.readSync(x.dataId) as Float32Array;
  const [value, gradient, m, v] = [inputs.value, inputs.gradient, inputs.m, inputs.v].map(read);
  const size = value.length;
  const [newValue, newM, newV] = [0, 1, 2].map(() => new Float32Array(size));
  const { beta1, beta2, epsilon, learningRate, oneMinusAccBeta1, oneMinusAccBeta2 } = attrs;
  for (let i = 0; i < size; i++) {
    const g = gradient[i];
    newM[i] = beta1 * m[i] + (1 - beta1) * g;
    newV[i] = beta2 * v[i] + (1 - beta2) * g * g;
    newValue[i] = value[i] - (learningRate * (newM[i] / oneMinusAccBeta1)) / (Math.sqrt(newV[i] / oneMinusAccBeta2) + epsilon);
  }
  return [newValue, newM, newV].map((values) => backend.makeTensorInfo(inputs.value.shape, 'float32', values));
}

export const adamUpdateWasmConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamWasm as unknown as KernelFunc,
};

export const adamUpdateCpuConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'cpu',
  kernelFunc: adamCpu as unknown as KernelFunc,
};
