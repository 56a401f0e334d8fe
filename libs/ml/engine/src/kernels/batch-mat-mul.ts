// BatchMatMul for the wasm backend. The stock kernel hands XNNPACK only a single untransposed
// product; a transposed operand or a batch (attention, a Dense layer's weight gradient x^T·dy, its
// input gradient dy·W^T) falls to a scalar loop at ~1-2 GFLOP/s against ~30. This kernel
// transposes operands explicitly and runs each batch entry as a plain product; a batch with shared
// right operand is folded into one product. Small products stay with the stock kernel, whose
// per-call cost is lower.
import { BatchMatMul, util, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { transposeOnHeap } from './heap-transpose';
import { stockKernel } from './stock-kernels';
import { floatOffset, heapFloats, withWasmContext, type WasmKernelArgs, type WasmKernelContext } from './wasm-kernel-context';

/** Below this many multiply-adds the stock kernel's lower fixed cost wins. */
const MIN_MACS = 1 << 18;

function batchMatMul(args: WasmKernelArgs<'a' | 'b', BatchMatMulAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  const m = transposeA ? a.shape[rankA - 1] : a.shape[rankA - 2];
  const k = transposeA ? a.shape[rankA - 2] : a.shape[rankA - 1];
  const n = transposeB ? b.shape[rankB - 2] : b.shape[rankB - 1];
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const plain = !transposeA && !transposeB && batch === 1;
  const sameBatchShape = batchA === batchB || batchA === 1 || batchB === 1;
  if (plain || !sameBatchShape || a.dtype !== 'float32' || b.dtype !== 'float32' || batch * m * n * k < MIN_MACS ||
      rankA !== rankB && Math.min(batchA, batchB) !== 1) {
    return stockKernel(BatchMatMul).kernelFunc(args as never) as TensorInfo;
  }
  const outShape = (batchA >= batchB ? a.shape : b.shape).slice(0, -2).concat([m, n]);
  return withWasmContext(backend, (ctx) => {
    // Untransposed operands: A as [batchA, m, k], B as [batchB, k, n].
    const left = transposeA ? transposedCopy(ctx, a, batchA, k, m) : a;
    const right = transposeB ? transposedCopy(ctx, b, batchB, n, k) : b;
    if (batchB === 1) {
      // Rows of every batch entry of A meet the same B: one product of [batch·m, k] by [k, n].
      const product = ctx.run('BatchMatMul', { a: ctx.reshape(left, [batchA * m, k]), b: ctx.reshape(right, [k, n]) }, { transposeA: false, transposeB: false });
      return ctx.reshape(product, outShape);
    }
    const out = ctx.allocate(outShape);
    for (let i = 0; i < batch; i++) {
      const leftEntry = batchA === 1 ? ctx.reshape(left, [m, k]) : entry(ctx, left, i, m, k);
      const rightEntry = entry(ctx, right, i, k, n);
      const product = ctx.run('BatchMatMul', { a: leftEntry, b: rightEntry }, { transposeA: false, transposeB: false });
      const heap = heapFloats(backend);
      const from = floatOffset(backend, product);
      heap.copyWithin(floatOffset(backend, out) + i * m * n, from, from + m * n);
      for (const t of [leftEntry, rightEntry, product]) ctx.release(t);
    }
    return out;
  });
}

/** [batch, rows, cols] → [batch, cols, rows] */
function transposedCopy(ctx: WasmKernelContext, x: TensorInfo, batch: number, rows: number, cols: number): TensorInfo {
  const out = ctx.allocate([batch, cols, rows]);
  const from = floatOffset(ctx.backend, x);
  const to = floatOffset(ctx.backend, out);
  for (let i = 0; i < batch; i++) transposeOnHeap(ctx.backend, from + i * rows * cols, to + i * rows * cols, rows, cols);
  return out;
}

/** A copy of batch entry i of x ([batch, rows, cols]) as [rows, cols]. */
function entry(ctx: WasmKernelContext, x: TensorInfo, i: number, rows: number, cols: number): TensorInfo {
  const out = ctx.allocate([rows, cols]);
  const heap = heapFloats(ctx.backend);
  const from = floatOffset(ctx.backend, x) + i * rows * cols;
  heap.copyWithin(floatOffset(ctx.backend, out), from, from + rows * cols);
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
