// MaxPoolGrad for the wasm backend: the stock kernel takes ~30 ms for a ResNet stem's pool at
// batch 8 and 64 px. This pass recomputes each window's argmax from the saved input (first
// maximum in row-major window order, as the cpu backend does) and adds dy there.
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { floatOffset, heapFloats, type WasmKernelArgs } from './wasm-kernel-context';

function maxPoolGrad(args: WasmKernelArgs<'dy' | 'input' | 'output', MaxPoolGradAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, 'float32');
  const heap = heapFloats(backend);
  const xOffset = floatOffset(backend, input);
  const dyOffset = floatOffset(backend, dy);
  const dxOffset = floatOffset(backend, dx);
  heap.fill(0, dxOffset, dxOffset + batchSize * inHeight * inWidth * channels);
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const hBegin = Math.max(0, oh * strideHeight - padTop);
      const hEnd = Math.min(inHeight, oh * strideHeight - padTop + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const wBegin = Math.max(0, ow * strideWidth - padLeft);
        const wEnd = Math.min(inWidth, ow * strideWidth - padLeft + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        bestAt.fill(-1);
        for (let ih = hBegin; ih < hEnd; ih++) {
          for (let iw = wBegin; iw < wEnd; iw++) {
            const pixel = ((n * inHeight + ih) * inWidth + iw) * channels;
            for (let c = 0; c < channels; c++) {
              const value = heap[xOffset + pixel + c];
              if (value > best[c]) {
                best[c] = value;
                bestAt[c] = pixel + c;
              }
            }
          }
        }
        const dyBase = dyOffset + ((n * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          if (bestAt[c] >= 0) heap[dxOffset + bestAt[c]] += heap[dyBase + c];
        }
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
