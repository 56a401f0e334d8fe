// UnsortedSegmentSum for the wasm backend (missing there; tf.gather's gradient needs it, e.g. for
// embedding-style lookups in a ViT). A scatter-add: one pass over x.
import {
  UnsortedSegmentSum,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs';
import { floatOffset, heapFloats, withWasmContext, type WasmKernelArgs } from './wasm-kernel-context';

function unsortedSegmentSum(args: WasmKernelArgs<'x' | 'segmentIds', UnsortedSegmentSumAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm supports float32 data, got ${x.dtype}.`);
  const numSegments = attrs.numSegments;
  const rowLength = util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const rows = util.sizeFromShape(segmentIds.shape);
  return withWasmContext(backend, (ctx) => {
    const out = ctx.allocate([numSegments, ...x.shape.slice(segmentIds.shape.length)]);
    const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
    const heap = heapFloats(backend);
    const xOffset = floatOffset(backend, x);
    const outOffset = floatOffset(backend, out);
    heap.fill(0, outOffset, outOffset + numSegments * rowLength);
    for (let r = 0; r < rows; r++) {
      const segment = ids[r];
      if (segment < 0 || segment >= numSegments) continue; // as TensorFlow: out-of-range ids are dropped
      const dst = outOffset + segment * rowLength;
      const src = xOffset + r * rowLength;
      for (let k = 0; k < rowLength; k++) heap[dst + k] += heap[src + k];
    }
    return out;
  });
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
