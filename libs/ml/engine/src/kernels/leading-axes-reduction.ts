// Sum and Mean over leading axes (per-channel statistics of NHWC activations: batch-norm moments,
// bias and batch-norm gradients). The stock wasm kernels first transpose the reduced axes to the
// end with a generic transpose (~6 ns/element); a column sum needs one sequential pass. Every
// other reduction goes to the stock kernel.
import {
  Mean,
  Sum,
  util,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { columnSums } from './heap-loops';
import { stockKernel } from './stock-kernels';
import { floatOffset, heapFloats, type WasmKernelArgs } from './wasm-kernel-context';

/** Number of leading axes reduced, or 0 when the reduction is not a proper leading prefix. */
function leadingAxes(shape: number[], axis: number | number[]): number {
  const axes = util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

function reduceLeading(kernelName: typeof Sum | typeof Mean, args: WasmKernelArgs<'x', SumAttrs | MeanAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const count = x.dtype === 'float32' ? leadingAxes(x.shape, attrs.axis) : 0;
  if (count === 0) return stockKernel(kernelName).kernelFunc(args as never) as TensorInfo;
  const rows = util.sizeFromShape(x.shape.slice(0, count));
  const columns = util.sizeFromShape(x.shape.slice(count));
  const outShape = attrs.keepDims ? x.shape.map((size, i) => (i < count ? 1 : size)) : x.shape.slice(count);
  const out = backend.makeOutput(outShape, 'float32');
  const heap = heapFloats(backend);
  const xOffset = floatOffset(backend, x);
  const outOffset = floatOffset(backend, out);
  const sums = columnSums(heap, xOffset, rows, columns);
  const scale = kernelName === Mean ? 1 / rows : 1;
  for (let c = 0; c < columns; c++) heap[outOffset + c] = sums[c] * scale;
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: ((args: WasmKernelArgs<'x', SumAttrs>) => reduceLeading(Sum, args)) as unknown as KernelFunc,
};

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: ((args: WasmKernelArgs<'x', MeanAttrs>) => reduceLeading(Mean, args)) as unknown as KernelFunc,
};
