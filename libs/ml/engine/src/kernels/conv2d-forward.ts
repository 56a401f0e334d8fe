// Forward convolution (Conv2D, FusedConv2D without bias/activation) for layers whose weights
// outweigh their activations, e.g. ResNet's 3x3x512x512 filters on a 2x2 map at 64 px. XNNPACK
// repacks a convolution's weights whenever the filter tensor is new — every training step — at
// ~8 ns per weight (~19 ms for one of those filters, twice the multiply-adds' time). Here the
// weights are instead the unpacked left operand of a plain matmul, yT[Cout, M] = Wt[Cout, K] ·
// colT[K, M], so only the small im2col matrix is packed. Everything else goes to the stock kernels.
import {
  backend_util,
  Conv2D,
  FusedConv2D,
  type Conv2DAttrs,
  type FusedConv2DAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { copyFunctionsFor } from '../simd/copy-module';
import { wasmMemory } from '../simd/memory';
import type { Conv2DInfo } from './conv-info';
import { transposeOnHeap } from './heap-transpose';
import { fillTransposedIm2Col } from './im2col';
import { stockKernel } from './stock-kernels';
import { floatOffset, heapFloats, withWasmContext, type WasmKernelArgs } from './wasm-kernel-context';

// ns per element: a JS transpose, and XNNPACK packing a matmul's right operand or a new
// convolution's filter (measured on the wasm backend, one core).
const TRANSPOSE_NS = 1.6;
const PACK_NS = 8;

export function prefersWeightsAsLeftOperand(info: Conv2DInfo): boolean {
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const inputSize = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
  const viaMatmul = TRANSPOSE_NS * (inputSize + taps * info.outChannels + pixels * info.outChannels) + PACK_NS * taps * pixels;
  const viaConvolution = PACK_NS * taps * info.outChannels;
  return viaMatmul < viaConvolution;
}

type ConvArgs = WasmKernelArgs<'x' | 'filter', Conv2DAttrs | FusedConv2DAttrs> & {
  inputs: { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
};

function convolution(kernelName: typeof Conv2D | typeof FusedConv2D, args: ConvArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const fused = attrs as Partial<FusedConv2DAttrs>;
  const plain =
    inputs.bias == null && inputs.preluActivationWeights == null && (fused.activation ?? 'linear') === 'linear' &&
    x.dtype === 'float32' && (attrs.dataFormat ?? 'NHWC') === 'NHWC';
  const info = plain
    ? backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
        attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode,
      )
    : undefined;
  if (!info || !prefersWeightsAsLeftOperand(info)) return stockKernel(kernelName).kernelFunc(args as never) as TensorInfo;
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const inputPixels = info.batchSize * info.inHeight * info.inWidth;
  return withWasmContext(backend, (ctx) => {
    const xT = ctx.allocate([info.inChannels, inputPixels]);
    const colT = ctx.allocate([taps, pixels]);
    const weightsT = ctx.allocate([info.outChannels, taps]);
    const heap = heapFloats(backend);
    transposeOnHeap(backend, floatOffset(backend, x), floatOffset(backend, xT), inputPixels, info.inChannels);
    fillTransposedIm2Col(heap, copyFunctionsFor(wasmMemory(backend)), floatOffset(backend, xT), floatOffset(backend, colT), info);
    transposeOnHeap(backend, floatOffset(backend, filter), floatOffset(backend, weightsT), taps, info.outChannels);
    const yT = ctx.run('BatchMatMul', { a: weightsT, b: colT }, { transposeA: false, transposeB: false });
    const y = ctx.allocate(info.outShape);
    transposeOnHeap(backend, floatOffset(backend, yT), floatOffset(backend, y), info.outChannels, pixels);
    return y;
  });
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: ((args: ConvArgs) => convolution(Conv2D, args)) as unknown as KernelFunc,
};

export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  kernelFunc: ((args: ConvArgs) => convolution(FusedConv2D, args)) as unknown as KernelFunc,
};
