import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The wasm backend's heap as a WebAssembly.Memory, for modules that import it. */
export function wasmMemory(backend: BackendWasm): WebAssembly.Memory {
  // The Emscripten module exports its memory as asm.memory; the typings omit it.
  return (backend.wasm as unknown as { asm: { memory: WebAssembly.Memory } }).asm.memory;
}
