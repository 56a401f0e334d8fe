// Batch norm on the wasm backend, for channels-last tensors normalised per channel (what tfjs
// layers do in training: statistics of shape [C]).
// - FusedBatchNorm: one SIMD pass, (x − mean) · (scale / sqrt(variance + ε)) + offset. The
//   stock kernel runs ~3.6 ns/element, this one ~0.4.
// - OvusBatchNormGradSums: Σ dy and Σ dy·(x − mean) per channel in one SIMD pass; the gradient
//   (gradients/batch-norm-grad.ts) needs nothing else of full size but dx = dy · scale/σ.
// Other layouts (statistics not of shape [C]) go to the stock kernel.
import {
  FusedBatchNorm,
  util,
  type FusedBatchNormAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelFunctionsFor } from '../simd/channel-module';
import { wasmMemory } from '../simd/memory';
import { stockKernel } from './stock-kernels';
import { floatOffset, heapFloats } from './wasm-kernel-context';

export const BATCH_NORM_GRAD_SUMS = 'OvusBatchNormGradSums';

function isPerChannel(x: TensorInfo, vector: TensorInfo | undefined | null): boolean {
  const channels = x.shape[x.shape.length - 1];
  return vector == null || (vector.dtype === 'float32' && util.sizeFromShape(vector.shape) === channels && vector.shape.length === 1);
}

type BatchNormInputs = { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };

function fusedBatchNorm(args: { inputs: BatchNormInputs; backend: BackendWasm; attrs: FusedBatchNormAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, mean, variance, offset, scale } = inputs;
  const perChannel = x.dtype === 'float32' && x.shape.length >= 1 && [mean, variance, offset, scale].every((v) => isPerChannel(x, v));
  if (!perChannel) return stockKernel(FusedBatchNorm).kernelFunc(args as never) as TensorInfo;
  const channels = x.shape[x.shape.length - 1];
  const rows = util.sizeFromShape(x.shape) / channels;
  const out = backend.makeOutput(x.shape, 'float32');
  const factors = backend.makeOutput([2, channels], 'float32'); // scale/σ, then offset
  try {
    const heap = heapFloats(backend);
    const [meanAt, varianceAt, factorsAt] = [mean, variance, factors].map((t) => floatOffset(backend, t));
    const scaleAt = scale ? floatOffset(backend, scale) : -1;
    const offsetAt = offset ? floatOffset(backend, offset) : -1;
    for (let c = 0; c < channels; c++) {
      const gamma = scaleAt >= 0 ? heap[scaleAt + c] : 1;
      heap[factorsAt + c] = gamma / Math.sqrt(heap[varianceAt + c] + attrs.varianceEpsilon);
      heap[factorsAt + channels + c] = offsetAt >= 0 ? heap[offsetAt + c] : 0;
    }
    channelFunctionsFor(wasmMemory(backend)).scaleShift(
      floatOffset(backend, x) * 4, meanAt * 4, factorsAt * 4, (factorsAt + channels) * 4, floatOffset(backend, out) * 4, rows, channels,
    );
  } finally {
    backend.disposeData(factors.dataId);
  }
  return out;
}

function batchNormGradSums(args: { inputs: { dy: TensorInfo; x: TensorInfo; mean: TensorInfo }; backend: BackendWasm }): TensorInfo[] {
  const { inputs, backend } = args;
  const { dy, x, mean } = inputs;
  const channels = x.shape[x.shape.length - 1];
  const rows = util.sizeFromShape(x.shape) / channels;
  const sums = [0, 1].map(() => backend.makeOutput([channels], 'float32'));
  const heap = heapFloats(backend);
  const [sumDyAt, sumDyXcAt] = sums.map((t) => floatOffset(backend, t));
  heap.fill(0, sumDyAt, sumDyAt + channels);
  heap.fill(0, sumDyXcAt, sumDyXcAt + channels);
  channelFunctionsFor(wasmMemory(backend)).gradSums(
    floatOffset(backend, dy) * 4, floatOffset(backend, x) * 4, floatOffset(backend, mean) * 4, sumDyAt * 4, sumDyXcAt * 4, rows, channels,
  );
  return sums;
}

export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm as unknown as KernelFunc,
};

export const batchNormGradSumsConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD_SUMS,
  backendName: 'wasm',
  kernelFunc: batchNormGradSums as unknown as KernelFunc,
};
