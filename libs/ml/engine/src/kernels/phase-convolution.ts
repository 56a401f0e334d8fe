// Runs an input gradient as stride-1 forward convolutions of dy, one per (row, column) phase,
// and interleaves the phase results into dx. Shared by Conv2DBackpropInput and
// DepthwiseConv2dNativeBackpropInput.
import type { TensorInfo } from '@tensorflow/tfjs';
import type { AxisPhase } from './backprop-input-phases';
import { copyRun } from './heap-loops';
import { transposeOnHeap } from './heap-transpose';
import { floatOffset, heapFloats, type WasmKernelContext } from './wasm-kernel-context';

export interface PhaseConvolutionRequest {
  dy: TensorInfo;
  /** conv: [kh, kw, inChannels, outChannels]; depthwise: [kh, kw, channels, multiplier]. */
  filter: TensorInfo;
  inputShape: [number, number, number, number];
  rows: AxisPhase[];
  cols: AxisPhase[];
  kind: 'conv' | 'depthwise';
}

export function convolveDyByPhases(ctx: WasmKernelContext, request: PhaseConvolutionRequest): TensorInfo {
  const { filter, inputShape, rows, cols, kind } = request;
  const [batch, inHeight, inWidth, inChannels] = inputShape;
  const [, , , lastFilterDim] = filter.shape;
  const multiplier = kind === 'depthwise' ? lastFilterDim : 1;
  const results: { out: TensorInfo; row: AxisPhase; col: AxisPhase }[] = [];
  for (const row of rows) {
    for (const col of cols) {
      if (row.taps.length === 0 || col.taps.length === 0) continue;
      if (row.cropEnd <= row.cropBegin || col.cropEnd <= col.cropBegin) continue;
      results.push({ out: convolvePhase(ctx, request, row, col), row, col });
    }
  }
  const only = results.length === 1 ? results[0] : undefined;
  if (only && multiplier === 1 && only.row.count === inHeight && only.col.count === inWidth) {
    return only.out; // stride 1: the single phase already is dx, in place
  }
  const dx = ctx.allocate(inputShape);
  const heap = heapFloats(ctx.backend);
  const dxOffset = floatOffset(ctx.backend, dx);
  const covered = results.reduce((sum, r) => sum + r.row.count * r.col.count, 0);
  if (covered < inHeight * inWidth) heap.fill(0, dxOffset, dxOffset + batch * inHeight * inWidth * inChannels);
  for (const { out, row, col } of results) {
    const outOffset = floatOffset(ctx.backend, out);
    const phaseChannels = inChannels * multiplier;
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < row.count; i++) {
        const ih = row.firstInput + i * row.step;
        let src = outOffset + ((n * row.count + i) * col.count) * phaseChannels;
        let dst = dxOffset + ((n * inHeight + ih) * inWidth + col.firstInput) * inChannels;
        const dstStep = col.step * inChannels;
        for (let j = 0; j < col.count; j++) {
          if (multiplier === 1) {
            copyRun(heap, src, dst, inChannels);
          } else {
            for (let c = 0; c < inChannels; c++) {
              let sum = 0;
              const base = src + c * multiplier;
              for (let m = 0; m < multiplier; m++) sum += heap[base + m];
              heap[dst + c] = sum;
            }
          }
          src += phaseChannels;
          dst += dstStep;
        }
      }
    }
  }
  return dx;
}

function convolvePhase(ctx: WasmKernelContext, request: PhaseConvolutionRequest, row: AxisPhase, col: AxisPhase): TensorInfo {
  const { dy, filter, kind } = request;
  const [, filterWidth, filterIn, filterOut] = filter.shape;
  const tapsH = row.taps.length;
  const tapsW = col.taps.length;
  const channels = filterIn * filterOut; // floats per tap
  const subFilter = ctx.allocate(kind === 'conv' ? [tapsH, tapsW, filterOut, filterIn] : [tapsH, tapsW, channels, 1]);
  let source = dy;
  const [batch, outHeight, outWidth, dyChannels] = dy.shape;
  if (row.cropBegin > 0 || row.cropEnd < outHeight || col.cropBegin > 0 || col.cropEnd < outWidth) {
    source = ctx.run('Slice', { x: dy }, {
      begin: [0, row.cropBegin, col.cropBegin, 0],
      size: [batch, row.cropEnd - row.cropBegin, col.cropEnd - col.cropBegin, dyChannels],
    });
  }
  const heap = heapFloats(ctx.backend);
  const filterOffset = floatOffset(ctx.backend, filter);
  const subOffset = floatOffset(ctx.backend, subFilter);
  for (let jh = 0; jh < tapsH; jh++) {
    for (let jw = 0; jw < tapsW; jw++) {
      const src = filterOffset + (row.taps[jh] * filterWidth + col.taps[jw]) * channels;
      const dst = subOffset + (jh * tapsW + jw) * channels;
      // conv: [in, out] -> [out, in] because dy's channels are the forward outputs;
      // depthwise: channel c*multiplier+m of dy meets filter[.., c, m], the same order.
      if (kind === 'conv') transposeOnHeap(ctx.backend, src, dst, filterIn, filterOut);
      else heap.copyWithin(dst, src, src + channels);
    }
  }
  const pad = [[0, 0], [row.padBefore, row.padAfter], [col.padBefore, col.padAfter], [0, 0]];
  const attrs = { strides: [1, 1], pad, dilations: [row.dilation, col.dilation], dataFormat: 'NHWC' };
  return kind === 'conv'
    ? ctx.run('Conv2D', { x: source, filter: subFilter }, attrs)
    : ctx.run('DepthwiseConv2dNative', { x: source, filter: subFilter }, attrs);
}
