// Tile for the wasm backend. The stock kernel computes a source index per output element
// (~60 ns/element here), and the batch-norm gradient tiles a per-channel vector to a full
// activation each step. This one copies rows and then doubles blocks with memmove.
import { Tile, util, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs';
import { type WasmKernelArgs } from './wasm-kernel-context';
import { stockKernel } from './stock-kernels';

type Numeric = Float32Array | Int32Array | Uint8Array;

function tile(args: WasmKernelArgs<'x', TileAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64') return stockKernel(Tile).kernelFunc(args as never) as TensorInfo;
  const reps = attrs.reps;
  const outShape = x.shape.map((size, axis) => size * reps[axis]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const source = backend.typedArrayFromHeap(x) as Numeric;
  const target = backend.typedArrayFromHeap(out) as Numeric;
  if (x.shape.length === 0) {
    target[0] = source[0];
    return out;
  }
  const inStrides = util.computeStrides(x.shape).concat(1);
  const outStrides = util.computeStrides(outShape).concat(1);
  const last = x.shape.length - 1;
  const fill = (axis: number, from: number, to: number): void => {
    let block: number;
    if (axis === last) {
      target.set(source.subarray(from, from + x.shape[axis]), to);
      block = x.shape[axis];
    } else {
      for (let i = 0; i < x.shape[axis]; i++) fill(axis + 1, from + i * inStrides[axis], to + i * outStrides[axis]);
      block = x.shape[axis] * outStrides[axis];
    }
    // Repeat the finished block reps[axis] times, doubling the copied span each time.
    let filled = 1;
    while (filled < reps[axis]) {
      const count = Math.min(filled, reps[axis] - filled);
      target.copyWithin(to + filled * block, to, to + count * block);
      filled += count;
    }
  };
  fill(0, 0, 0);
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
