// Builds the transposed im2col matrix colT[K, M] (K = kh*kw*channels, M = batch*outH*outW) so
// that a filter gradient is one plain matrix product colT · dy. Plain, because wasm's XNNPACK
// matmul runs ~30 GFLOP/s only with untransposed operands (a transposed one falls back to a
// ~1 GFLOP/s loop), and because packing the small dy as the right-hand side is cheap.
import type { Conv2DInfo } from './conv-info';

/**
 * Fills colT from xT, the input with channels first ([C, N, H, W], see transpose2D): every colT
 * row then reads contiguous (stride 1) or evenly strided runs of one channel plane, ~4x faster
 * than gathering every C-th float straight from NHWC.
 */
export function fillTransposedIm2Col(
  heap: Float32Array,
  xTOffset: number,
  colOffset: number,
  info: Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const columns = batchSize * outHeight * outWidth;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const colShift = kw * dilationWidth - padLeft;
      // Output columns whose input column falls inside the image.
      const owBegin = Math.min(outWidth, Math.max(0, Math.ceil(-colShift / strideWidth)));
      const owEnd = Math.max(owBegin, Math.min(outWidth, Math.floor((inWidth - 1 - colShift) / strideWidth) + 1));
      for (let ci = 0; ci < inChannels; ci++) {
        let dst = colOffset + ((kh * filterWidth + kw) * inChannels + ci) * columns;
        const plane = xTOffset + ci * batchSize * inHeight * inWidth;
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + kh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) {
              heap.fill(0, dst, dst + outWidth);
              dst += outWidth;
              continue;
            }
            for (let ow = 0; ow < owBegin; ow++) heap[dst++] = 0;
            let src = plane + (n * inHeight + ih) * inWidth + owBegin * strideWidth + colShift;
            if (strideWidth === 1) {
              for (let ow = owBegin; ow < owEnd; ow++) heap[dst++] = heap[src++];
            } else {
              for (let ow = owBegin; ow < owEnd; ow++) {
                heap[dst++] = heap[src];
                src += strideWidth;
              }
            }
            for (let ow = owEnd; ow < outWidth; ow++) heap[dst++] = 0;
          }
        }
      }
    }
  }
}

/**
 * dx += col2im(colT): the adjoint of fillTransposedIm2Col. colT[K, M] holds, for every filter tap
 * and input channel (row) and output pixel (column), the gradient reaching that input pixel.
 * dx must be zeroed by the caller.
 */
export function addTransposedCol2Im(
  heap: Float32Array,
  colOffset: number,
  dxOffset: number,
  info: Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const columns = batchSize * outHeight * outWidth;
  const dxStep = strideWidth * inChannels;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const colShift = kw * dilationWidth - padLeft;
      const owBegin = Math.min(outWidth, Math.max(0, Math.ceil(-colShift / strideWidth)));
      const owEnd = Math.max(owBegin, Math.min(outWidth, Math.floor((inWidth - 1 - colShift) / strideWidth) + 1));
      for (let ci = 0; ci < inChannels; ci++) {
        const row = colOffset + ((kh * filterWidth + kw) * inChannels + ci) * columns;
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + kh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) continue;
            let src = row + (n * outHeight + oh) * outWidth + owBegin;
            let dst = dxOffset + ((n * inHeight + ih) * inWidth + owBegin * strideWidth + colShift) * inChannels + ci;
            for (let ow = owBegin; ow < owEnd; ow++) {
              heap[dst] += heap[src++];
              dst += dxStep;
            }
          }
        }
      }
    }
  }
}
