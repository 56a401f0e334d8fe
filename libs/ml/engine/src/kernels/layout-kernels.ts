// Slice, SplitV, Concat and PadV2 for float32/int32 tensors on the wasm backend, as block copies
// (block-copy.ts). DenseNet's concatenations and their gradients (SplitV) and ResNet's zero
// padding and its gradient (Slice) spent ~10-60 ms per step in the stock element-wise kernels.
// Other dtypes go to the stock kernels.
import {
  backend_util,
  Cast,
  Concat,
  PadV2,
  Slice,
  SplitV,
  util,
  type CastAttrs,
  type ConcatAttrs,
  type KernelConfig,
  type KernelFunc,
  type PadV2Attrs,
  type SliceAttrs,
  type SplitVAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyFunctionsFor } from '../simd/copy-module';
import { wasmMemory } from '../simd/memory';
import { copyBlock } from './block-copy';
import { stockKernel } from './stock-kernels';
import { floatOffset, heapFloats, type WasmKernelArgs } from './wasm-kernel-context';

const fourByte = (t: TensorInfo) => t.dtype === 'float32' || t.dtype === 'int32';

function slice(args: WasmKernelArgs<'x', SliceAttrs>): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  if (!fourByte(x)) return stockKernel(Slice).kernelFunc(args as never) as TensorInfo;
  const [begin, size] = backend_util.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  const out = backend.makeOutput(size, x.dtype);
  copyBlock(copyFunctionsFor(wasmMemory(backend)), {
    src: floatOffset(backend, x), dst: floatOffset(backend, out),
    srcShape: x.shape, dstShape: size, srcBegin: begin, dstBegin: size.map(() => 0), size,
  });
  return out;
}

function splitV(args: WasmKernelArgs<'x', SplitVAttrs>): TensorInfo[] {
  const { inputs: { x }, backend, attrs } = args;
  if (!fourByte(x)) return stockKernel(SplitV).kernelFunc(args as never) as TensorInfo[];
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis);
  const copy = copyFunctionsFor(wasmMemory(backend));
  let start = 0;
  return sizes.map((length) => {
    const shape = x.shape.map((d, a) => (a === axis ? length : d));
    const out = backend.makeOutput(shape, x.dtype);
    copyBlock(copy, {
      src: floatOffset(backend, x), dst: floatOffset(backend, out),
      srcShape: x.shape, dstShape: shape, srcBegin: x.shape.map((_, a) => (a === axis ? start : 0)), dstBegin: shape.map(() => 0), size: shape,
    });
    start += length;
    return out;
  });
}

function concat(args: { inputs: TensorInfo[]; backend: BackendWasm; attrs: ConcatAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const present = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (present.length === 0 || !present.every((t) => fourByte(t) && t.dtype === present[0].dtype)) {
    return stockKernel(Concat).kernelFunc(args as never) as TensorInfo;
  }
  const axis = util.parseAxisParam(attrs.axis, present[0].shape)[0];
  const outShape = backend_util.computeOutShape(present.map((t) => t.shape), axis);
  const out = backend.makeOutput(outShape, present[0].dtype);
  const copy = copyFunctionsFor(wasmMemory(backend));
  let start = 0;
  for (const input of present) {
    copyBlock(copy, {
      src: floatOffset(backend, input), dst: floatOffset(backend, out),
      srcShape: input.shape, dstShape: outShape, srcBegin: input.shape.map(() => 0),
      dstBegin: outShape.map((_, a) => (a === axis ? start : 0)), size: input.shape,
    });
    start += input.shape[axis];
  }
  return out;
}

function padV2(args: WasmKernelArgs<'x', PadV2Attrs>): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  if (x.dtype !== 'float32') return stockKernel(PadV2).kernelFunc(args as never) as TensorInfo;
  const outShape = x.shape.map((d, a) => attrs.paddings[a][0] + d + attrs.paddings[a][1]);
  const out = backend.makeOutput(outShape, 'float32');
  const dst = floatOffset(backend, out);
  heapFloats(backend).fill(attrs.constantValue, dst, dst + util.sizeFromShape(outShape));
  copyBlock(copyFunctionsFor(wasmMemory(backend)), {
    src: floatOffset(backend, x), dst,
    srcShape: x.shape, dstShape: outShape, srcBegin: x.shape.map(() => 0), dstBegin: attrs.paddings.map((p) => p[0]), size: x.shape,
  });
  return out;
}

/** Cast to the same dtype shares the buffer (the stock kernel copies it); real casts go to stock. */
function cast(args: WasmKernelArgs<'x', CastAttrs>): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  if (x.dtype !== attrs.dtype || x.dtype === 'string') return stockKernel(Cast).kernelFunc(args as never) as TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

const config = (kernelName: string, kernelFunc: unknown): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: kernelFunc as KernelFunc,
});

export const layoutKernelConfigs: KernelConfig[] = [
  config(Slice, slice),
  config(SplitV, splitV),
  config(Concat, concat),
  config(PadV2, padV2),
  config(Cast, cast),
];
