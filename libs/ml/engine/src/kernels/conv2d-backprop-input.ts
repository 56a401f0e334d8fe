// Fast Conv2DBackpropInput for the wasm backend; the stock kernel is a scalar loop. Two plans,
// picked by which tensors are bigger:
// - activations bigger than weights (early layers): XNNPACK forward convolutions of dy with the
//   flipped, in/out-swapped filter, one dense convolution per stride phase
//   (backprop-input-phases.ts). Costs one transform of the weights plus XNNPACK's repacking.
// - weights bigger than activations (late layers at small inputs, e.g. ResNet's 3x3x512x512 on a
//   2x2 map): colT = W[K, Cout] · dyT[Cout, M] on XNNPACK's plain matmul with the weights as the
//   unpacked left operand, then col2im. Touches the weights once, read-only.
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { backpropInputPhases } from './backprop-input-phases';
import type { Conv2DInfo } from './conv-info';
import { transposeOnHeap } from './heap-transpose';
import { addTransposedCol2Im } from './im2col';
import { convolveDyByPhases } from './phase-convolution';
import {
  floatOffset,
  heapFloats,
  pair,
  requireChannelsLast,
  withWasmContext,
  type WasmKernelArgs,
  type WasmKernelContext,
} from './wasm-kernel-context';

// Rough costs (ns) measured on the wasm backend, one core: per filter element, transposing it
// and XNNPACK repacking it when a convolution is created; per dy element, transposing and packing
// dy for the matmul; per col2im element, the scatter-add; per multiply-add at ~30 GFLOP/s.
// XNNPACK computes output channels in tiles of 8, so a phase convolution producing few channels
// (a stem's 3 input channels) wastes most of each tile: the stem of a ResNet runs ~1.7x faster
// as a matmul.
const FILTER_SETUP_NS = 11;
const DY_SETUP_NS = 5;
const COL2IM_NS = 2;
const NS_PER_MAC = 0.067;
const CHANNEL_TILE = 8;

export type InputGradientPlan = 'phase-convolution' | 'matmul-col2im';

export function chooseInputGradientPlan(info: Conv2DInfo): InputGradientPlan {
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const macs = pixels * taps * info.outChannels;
  const tileWaste = (Math.ceil(info.inChannels / CHANNEL_TILE) * CHANNEL_TILE) / info.inChannels;
  const viaConvolution = FILTER_SETUP_NS * taps * info.outChannels + NS_PER_MAC * macs * tileWaste;
  const viaMatmul = DY_SETUP_NS * pixels * info.outChannels + COL2IM_NS * pixels * taps + NS_PER_MAC * macs;
  return viaMatmul < viaConvolution ? 'matmul-col2im' : 'phase-convolution';
}

function conv2DBackpropInput(args: WasmKernelArgs<'dy' | 'filter', Conv2DBackpropInputAttrs & { plan?: InputGradientPlan }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  requireChannelsLast(Conv2DBackpropInput, attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const plan = attrs.plan ?? chooseInputGradientPlan(info);
  return withWasmContext(backend, (ctx) =>
    plan === 'matmul-col2im' ? viaMatmul(ctx, dy, filter, info) : viaPhaseConvolution(ctx, dy, filter, info, attrs),
  );
}

function viaPhaseConvolution(
  ctx: WasmKernelContext, dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo, attrs: Conv2DBackpropInputAttrs,
): TensorInfo {
  const [strideH, strideW] = pair(attrs.strides);
  const rows = backpropInputPhases({
    inSize: info.inHeight, outSize: info.outHeight, filterSize: info.filterHeight,
    stride: strideH, dilation: 1, padBefore: info.padInfo.top,
  });
  const cols = backpropInputPhases({
    inSize: info.inWidth, outSize: info.outWidth, filterSize: info.filterWidth,
    stride: strideW, dilation: 1, padBefore: info.padInfo.left,
  });
  return convolveDyByPhases(ctx, { dy, filter, inputShape: attrs.inputShape, rows, cols, kind: 'conv' });
}

function viaMatmul(ctx: WasmKernelContext, dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): TensorInfo {
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const dyT = ctx.allocate([info.outChannels, pixels]);
  transposeOnHeap(ctx.backend, floatOffset(ctx.backend, dy), floatOffset(ctx.backend, dyT), pixels, info.outChannels);
  const weights = ctx.reshape(filter, [taps, info.outChannels]);
  const colT = ctx.run('BatchMatMul', { a: weights, b: dyT }, { transposeA: false, transposeB: false });
  const dx = ctx.allocate(info.inShape);
  const heap = heapFloats(ctx.backend);
  const dxOffset = floatOffset(ctx.backend, dx);
  heap.fill(0, dxOffset, dxOffset + info.batchSize * info.inHeight * info.inWidth * info.inChannels);
  addTransposedCol2Im(heap, floatOffset(ctx.backend, colT), dxOffset, info);
  return dx;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
