// DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing there). Each filter tap is a
// per-channel dot product of a shifted x with dy over all output pixels: no matrix product to hand
// to XNNPACK, so this is one pass over dy per tap, four channels per SIMD lane group
// (simd/channel-module.ts productSums) accumulating in float32 into the tap's row of dW. A channel
// multiplier above 1 runs the JS loop with float64 accumulators.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { channelFunctionsFor } from '../simd/channel-module';
import { wasmMemory } from '../simd/memory';
import { floatOffset, heapFloats, withWasmContext, type WasmKernelArgs } from './wasm-kernel-context';

function depthwiseBackpropFilter(args: WasmKernelArgs<'x' | 'dy', DepthwiseConv2dNativeBackpropFilterAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const multiplier = attrs.filterShape[3];
  const outChannels = inChannels * multiplier;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  return withWasmContext(backend, (ctx) => {
    const dw = ctx.allocate(attrs.filterShape);
    const heap = heapFloats(backend);
    const xOffset = floatOffset(backend, x);
    const dyOffset = floatOffset(backend, dy);
    const dwOffset = floatOffset(backend, dw);
    heap.fill(0, dwOffset, dwOffset + filterHeight * filterWidth * outChannels);
    const productSums = channelFunctionsFor(wasmMemory(backend)).productSums;
    const sums = new Float64Array(outChannels);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        sums.fill(0);
        const tap = dwOffset + (kh * filterWidth + kw) * outChannels;
        const colShift = kw * dilationWidth - padLeft;
        const owBegin = Math.min(outWidth, Math.max(0, Math.ceil(-colShift / strideWidth)));
        const owEnd = Math.max(owBegin, Math.min(outWidth, Math.floor((inWidth - 1 - colShift) / strideWidth) + 1));
        if (owEnd <= owBegin) continue;
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + kh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) continue;
            const xRow = xOffset + ((n * inHeight + ih) * inWidth + owBegin * strideWidth + colShift) * inChannels;
            const dyRow = dyOffset + ((n * outHeight + oh) * outWidth + owBegin) * outChannels;
            const xStep = strideWidth * inChannels;
            if (multiplier === 1) productSums(xRow * 4, dyRow * 4, tap * 4, owEnd - owBegin, inChannels, xStep * 4, inChannels * 4);
            else accumulateRowWithMultiplier(heap, sums, xRow, dyRow, owEnd - owBegin, inChannels, xStep, multiplier);
          }
        }
        if (multiplier !== 1) for (let k = 0; k < outChannels; k++) heap[tap + k] = sums[k];
      }
    }
    return dw;
  });
}

function accumulateRowWithMultiplier(
  heap: Float32Array, sums: Float64Array, xRow: number, dyRow: number, pixels: number, channels: number, xStep: number,
  multiplier: number,
): void {
  const outChannels = channels * multiplier;
  for (let p = 0; p < pixels; p++) {
    const xPos = xRow + p * xStep;
    const dyPos = dyRow + p * outChannels;
    for (let c = 0; c < channels; c++) {
      const xv = heap[xPos + c];
      const base = c * multiplier;
      for (let m = 0; m < multiplier; m++) sums[base + m] += xv * heap[dyPos + base + m];
    }
  }
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
