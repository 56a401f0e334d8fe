// Plain loops over float32 data in the wasm heap. Hand-written because tfjs has no kernels for
// these layout changes (strided interleave, per-tap transposes) and composing them from
// Transpose/Slice kernels costs several extra passes over the data.

/** dst[dstOffset + c * rows + r] = src[srcOffset + r * cols + c]: a cache-blocked 2-D transpose. */
export function transpose2D(
  src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number, rows: number, cols: number,
): void {
  const block = 32;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(r0 + block, rows);
    for (let c0 = 0; c0 < cols; c0 += block) {
      const c1 = Math.min(c0 + block, cols);
      for (let r = r0; r < r1; r++) {
        let s = srcOffset + r * cols + c0;
        let d = dstOffset + c0 * rows + r;
        for (let c = c0; c < c1; c++) {
          dst[d] = src[s++];
          d += rows;
        }
      }
    }
  }
}

/** Copies `length` floats; a native memmove for long runs, a loop where call overhead would dominate. */
export function copyRun(heap: Float32Array, from: number, to: number, length: number): void {
  if (length >= 24) {
    heap.copyWithin(to, from, from + length);
  } else {
    for (let i = 0; i < length; i++) heap[to + i] = heap[from + i];
  }
}
