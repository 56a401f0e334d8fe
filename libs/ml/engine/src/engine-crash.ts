// When the engine itself breaks. The wasm backend runs in one WebAssembly instance whose heap is
// capped at 4 GiB (32-bit addresses); when a training step needs more, the instance aborts
// ("Aborted()") or traps on a failed allocation ("memory access out of bounds"). Either way the
// instance is dead: every later kernel in this process fails too, so the caller must not go on
// training in this process (a worker restarts it), and a retry with the same settings fails again.

/** The heap limit of one wasm backend instance (bytes). */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;

const CRASH_MESSAGES = /memory access out of bounds|^Aborted\(|out of memory|Cannot enlarge memory/i;

/** True for an error that means the WebAssembly engine of this process can no longer be used. */
export function isEngineCrash(error: unknown): boolean {
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return true;
  return error instanceof Error && CRASH_MESSAGES.test(error.message);
}
