// Conv2DBackpropFilter for the wasm backend (the stock backend has none): dW = colT · dy with
// colT the transposed im2col of x (see im2col.ts) and the product on XNNPACK's plain matmul.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { transposeOnHeap } from './heap-transpose';
import { fillTransposedIm2Col } from './im2col';
import { copyFunctionsFor } from '../simd/copy-module';
import { wasmMemory } from '../simd/memory';
import { floatOffset, heapFloats, requireChannelsLast, withWasmContext, type WasmKernelArgs } from './wasm-kernel-context';

function conv2DBackpropFilter(args: WasmKernelArgs<'x' | 'dy', Conv2DBackpropFilterAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  requireChannelsLast(Conv2DBackpropFilter, attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const rowsK = info.filterHeight * info.filterWidth * info.inChannels;
  const columnsM = info.batchSize * info.outHeight * info.outWidth;
  return withWasmContext(backend, (ctx) => {
    const pixels = info.batchSize * info.inHeight * info.inWidth;
    const xT = ctx.allocate([info.inChannels, pixels]);
    transposeOnHeap(backend, floatOffset(backend, x), floatOffset(backend, xT), pixels, info.inChannels);
    // A 1x1, stride-1, unpadded convolution's im2col is x itself: xT already is colT.
    const pointwise =
      info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
      info.padInfo.top === 0 && info.padInfo.left === 0 && info.outHeight === info.inHeight && info.outWidth === info.inWidth;
    let colT = xT;
    if (!pointwise) {
      colT = ctx.allocate([rowsK, columnsM]);
      fillTransposedIm2Col(heapFloats(backend), copyFunctionsFor(wasmMemory(backend)), floatOffset(backend, xT), floatOffset(backend, colT), info);
    }
    const dy2D = ctx.reshape(dy, [columnsM, info.outChannels]);
    const product = ctx.run('BatchMatMul', { a: colT, b: dy2D }, { transposeA: false, transposeB: false });
    return ctx.reshape(product, attrs.filterShape);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
