// Builds the transposed im2col matrix colT[K, M] (K = kh*kw*channels, M = batch*outH*outW) so
// that a filter gradient is one plain matrix product colT · dy. Plain, because wasm's XNNPACK
// matmul runs ~30 GFLOP/s only with untransposed operands (a transposed one falls back to a
// ~1 GFLOP/s loop), and because packing the small dy as the right-hand side is cheap.
import type { CopyFunctions } from '../simd/copy-module';
import type { Conv2DInfo } from './conv-info';

/**
 * Fills colT from xT, the input with channels first ([C, N, H, W], see transpose2D): every colT
 * row is a set of equally spaced runs of one channel plane, copied by one wasm SIMD call per
 * (tap, channel, image); only the zero borders are left to the JS fill beforehand.
 */
export function fillTransposedIm2Col(
  heap: Float32Array,
  copy: CopyFunctions,
  xTOffset: number,
  colOffset: number,
  info: Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const columns = batchSize * outHeight * outWidth;
  const padded = padTop > 0 || padLeft > 0 || info.padInfo.bottom > 0 || info.padInfo.right > 0;
  if (padded) heap.fill(0, colOffset, colOffset + filterHeight * filterWidth * inChannels * columns);
  const copyRuns = strideWidth === 1 ? copy.contiguous : copy.strided;
  for (let kh = 0; kh < filterHeight; kh++) {
    const rowShift = kh * dilationHeight - padTop;
    // Output rows and columns whose input pixel falls inside the image.
    const ohBegin = Math.min(outHeight, Math.max(0, Math.ceil(-rowShift / strideHeight)));
    const ohEnd = Math.max(ohBegin, Math.min(outHeight, Math.floor((inHeight - 1 - rowShift) / strideHeight) + 1));
    for (let kw = 0; kw < filterWidth; kw++) {
      const colShift = kw * dilationWidth - padLeft;
      const owBegin = Math.min(outWidth, Math.max(0, Math.ceil(-colShift / strideWidth)));
      const owEnd = Math.max(owBegin, Math.min(outWidth, Math.floor((inWidth - 1 - colShift) / strideWidth) + 1));
      if (ohEnd <= ohBegin || owEnd <= owBegin) continue;
      for (let ci = 0; ci < inChannels; ci++) {
        const row = colOffset + ((kh * filterWidth + kw) * inChannels + ci) * columns;
        const plane = xTOffset + ci * batchSize * inHeight * inWidth;
        for (let n = 0; n < batchSize; n++) {
          const src = plane + (n * inHeight + ohBegin * strideHeight + rowShift) * inWidth + owBegin * strideWidth + colShift;
          const dst = row + (n * outHeight + ohBegin) * outWidth + owBegin;
          copyRuns(src * 4, dst * 4, owEnd - owBegin, ohEnd - ohBegin, strideHeight * inWidth * 4, outWidth * 4, strideWidth * 4);
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
