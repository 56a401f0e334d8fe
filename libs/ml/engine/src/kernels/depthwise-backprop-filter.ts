// DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing there). Each filter tap is a
// per-channel dot product of a shifted x with dy over all output pixels: no matrix product to hand
// to XNNPACK, so this is one pass over dy per tap with float64 accumulators per channel.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
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
    const sums = new Float64Array(outChannels);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        sums.fill(0);
        const colShift = kw * dilationWidth - padLeft;
        const owBegin = Math.min(outWidth, Math.max(0, Math.ceil(-colShift / strideWidth)));
        const owEnd = Math.max(owBegin, Math.min(outWidth, Math.floor((inWidth - 1 - colShift) / strideWidth) + 1));
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + kh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) continue;
            const xRow = xOffset + ((n * inHeight + ih) * inWidth + owBegin * strideWidth + colShift) * inChannels;
            const dyRow = dyOffset + ((n * outHeight + oh) * outWidth + owBegin) * outChannels;
            const xStep = strideWidth * inChannels;
            if (multiplier === 1) accumulateRow(heap, sums, xRow, dyRow, owEnd - owBegin, inChannels, xStep);
            else accumulateRowWithMultiplier(heap, sums, xRow, dyRow, owEnd - owBegin, inChannels, xStep, multiplier);
          }
        }
        const tap = dwOffset + (kh * filterWidth + kw) * outChannels;
        for (let k = 0; k < outChannels; k++) heap[tap + k] = sums[k];
      }
    }
    return dw;
  });
}

/** sums[c] += Σ_ow x[ow, c] · dy[ow, c] over one output row; four pixels per pass (see columnSums). */
function accumulateRow(
  heap: Float32Array, sums: Float64Array, xRow: number, dyRow: number, pixels: number, channels: number, xStep: number,
): void {
  let p = 0;
  for (; p + 4 <= pixels; p += 4) {
    const x0 = xRow + p * xStep, x1 = x0 + xStep, x2 = x1 + xStep, x3 = x2 + xStep;
    const d0 = dyRow + p * channels, d1 = d0 + channels, d2 = d1 + channels, d3 = d2 + channels;
    for (let c = 0; c < channels; c++) {
      sums[c] += heap[x0 + c] * heap[d0 + c] + heap[x1 + c] * heap[d1 + c] + (heap[x2 + c] * heap[d2 + c] + heap[x3 + c] * heap[d3 + c]);
    }
  }
  for (; p < pixels; p++) {
    const x0 = xRow + p * xStep;
    const d0 = dyRow + p * channels;
    for (let c = 0; c < channels; c++) sums[c] += heap[x0 + c] * heap[d0 + c];
  }
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
