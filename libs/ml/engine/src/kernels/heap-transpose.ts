// 2-D transpose of a [rows, cols] float block on the wasm heap into [cols, rows]: the 4x4 SIMD
// blocks in wasm (simd/transpose-module.ts), the ragged last rows and columns here.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { wasmMemory } from '../simd/memory';
import { transposeBlocksFor } from '../simd/transpose-module';
import { heapFloats } from './wasm-kernel-context';

export function transposeOnHeap(backend: BackendWasm, srcOffset: number, dstOffset: number, rows: number, cols: number): void {
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  if (rows4 > 0 && cols4 > 0) transposeBlocksFor(wasmMemory(backend))(srcOffset * 4, dstOffset * 4, rows, cols, rows4, cols4);
  if (rows4 === rows && cols4 === cols) return;
  const heap = heapFloats(backend);
  for (let r = 0; r < rows; r++) {
    const fromColumn = r < rows4 ? cols4 : 0;
    for (let c = fromColumn; c < cols; c++) heap[dstOffset + c * rows + r] = heap[srcOffset + r * cols + c];
  }
}
