// Copies an n-d block between two row-major tensors on the wasm heap: the layout work behind
// Slice, SplitV, Concat and PadV2. The innermost dimensions that both tensors hold in full merge
// into one contiguous run, and each wasm call copies a whole column of such runs (simd/copy-module),
// where the stock kernels walk every element with index arithmetic.
import { util } from '@tensorflow/tfjs';
import type { CopyFunctions } from '../simd/copy-module';

export interface BlockCopy {
  /** Float index of each tensor's first element in the heap. */
  src: number;
  dst: number;
  srcShape: number[];
  dstShape: number[];
  srcBegin: number[];
  dstBegin: number[];
  size: number[];
}

export function copyBlock(copy: CopyFunctions, block: BlockCopy): void {
  const { srcShape, dstShape, srcBegin, dstBegin, size } = block;
  const rank = size.length;
  if (size.some((s) => s === 0)) return;
  if (rank === 0) {
    copy.contiguous(block.src * 4, block.dst * 4, 1, 1, 0, 0, 4);
    return;
  }
  const srcStrides = util.computeStrides(srcShape).concat(1);
  const dstStrides = util.computeStrides(dstShape).concat(1);
  // Innermost axis k such that every axis after it is copied in full in both tensors.
  let k = rank - 1;
  while (k > 0 && size[k] === srcShape[k] && size[k] === dstShape[k]) k--;
  const runLength = size.slice(k).reduce((a, b) => a * b, 1);
  const start = (strides: number[], begin: number[], base: number) =>
    begin.reduce((offset, b, axis) => offset + b * strides[axis], base);
  const srcStart = start(srcStrides, srcBegin, block.src);
  const dstStart = start(dstStrides, dstBegin, block.dst);
  if (k === 0) {
    copy.contiguous(srcStart * 4, dstStart * 4, runLength, 1, 0, 0, 4);
    return;
  }
  // One call per index of the axes before k - 1; it copies the size[k - 1] runs along k - 1.
  const outer = size.slice(0, k - 1);
  const index = outer.map(() => 0);
  const outerCount = outer.reduce((a, b) => a * b, 1);
  for (let n = 0; n < outerCount; n++) {
    let srcAt = srcStart;
    let dstAt = dstStart;
    for (let axis = 0; axis < outer.length; axis++) {
      srcAt += index[axis] * srcStrides[axis];
      dstAt += index[axis] * dstStrides[axis];
    }
    copy.contiguous(srcAt * 4, dstAt * 4, runLength, size[k - 1], srcStrides[k - 1] * 4, dstStrides[k - 1] * 4, 4);
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      if (++index[axis] < outer[axis]) break;
      index[axis] = 0;
    }
  }
}
