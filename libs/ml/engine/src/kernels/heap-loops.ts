// Plain loops over float32 data in the wasm heap. Hand-written because tfjs has no kernels for
// these layout changes (strided interleave, per-tap transposes) and composing them from
// Transpose/Slice kernels costs several extra passes over the data.

/**
 * dst[dstOffset + c * rows + r] = src[srcOffset + r * cols + c]: a cache-blocked 2-D transpose.
 * Writes run sequentially and reads stride through a 32-column block (measured ~1.6 ns/element;
 * the read-sequential order thrashes the cache when rows is a power of two).
 */
export function transpose2D(
  src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number, rows: number, cols: number,
): void {
  const block = 32;
  for (let c0 = 0; c0 < cols; c0 += block) {
    const c1 = Math.min(c0 + block, cols);
    for (let r0 = 0; r0 < rows; r0 += block) {
      const r1 = Math.min(r0 + block, rows);
      for (let c = c0; c < c1; c++) {
        let d = dstOffset + c * rows + r0;
        let s = srcOffset + r0 * cols + c;
        for (let r = r0; r < r1; r++) {
          dst[d++] = src[s];
          s += cols;
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

/**
 * sums[c] = Σ_r heap[offset + r * cols + c]. Eight rows per pass: the independent adds let V8
 * keep several loads in flight (0.5 ns/element against 1.9 for the one-row loop).
 */
export function columnSums(heap: Float32Array, offset: number, rows: number, cols: number): Float64Array {
  const sums = new Float64Array(cols);
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const b0 = offset + r * cols;
    const b1 = b0 + cols, b2 = b1 + cols, b3 = b2 + cols, b4 = b3 + cols, b5 = b4 + cols, b6 = b5 + cols, b7 = b6 + cols;
    for (let c = 0; c < cols; c++) {
      sums[c] +=
        heap[b0 + c] + heap[b1 + c] + (heap[b2 + c] + heap[b3 + c]) +
        (heap[b4 + c] + heap[b5 + c] + (heap[b6 + c] + heap[b7 + c]));
    }
  }
  for (; r < rows; r++) {
    const base = offset + r * cols;
    for (let c = 0; c < cols; c++) sums[c] += heap[base + c];
  }
  return sums;
}
