// Helpers for kernels that are built from other wasm kernels plus plain loops over the wasm heap.
// Kernels call each other's kernel functions directly (as the stock wasm kernels do) instead of
// going through tf ops, so nothing they create is recorded on a gradient tape or leaks into a
// tidy scope.
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export class WasmKernelContext {
  private readonly temporaries: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs a registered wasm kernel; its result is freed by `dispose()` unless `keep()` claims it. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, 'wasm');
    if (kernel == null) throw new Error(`wasm kernel '${kernelName}' is not registered; load @tensorflow/tfjs-backend-wasm first.`);
    const output = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
    this.temporaries.push(output);
    return output;
  }

  /** Allocates an uninitialised float32 tensor on the wasm heap (a temporary unless kept). */
  allocate(shape: number[]): TensorInfo {
    const output = this.backend.makeOutput(shape, 'float32');
    this.temporaries.push(output);
    return output;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /**
   * A Float32Array over the tensor's bytes in the wasm heap. Take views only after the last
   * allocation: growing the heap detaches earlier views.
   */
  view(x: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(x) as Float32Array;
  }

  /** Takes a result out of the temporaries so `dispose()` leaves it to the caller. */
  keep(x: TensorInfo): TensorInfo {
    const index = this.temporaries.indexOf(x);
    if (index >= 0) this.temporaries.splice(index, 1);
    return x;
  }

  /** Frees a temporary now (inside loops that would otherwise hold every iteration's memory). */
  release(x: TensorInfo): void {
    const index = this.temporaries.indexOf(x);
    if (index >= 0) {
      this.temporaries.splice(index, 1);
      this.backend.disposeData(x.dataId);
    }
  }

  dispose(): void {
    for (const info of this.temporaries) this.backend.disposeData(info.dataId);
    this.temporaries.length = 0;
  }
}

/** Runs `body` with a fresh context and frees every temporary it did not keep, even on error. */
export function withWasmContext(backend: BackendWasm, body: (ctx: WasmKernelContext) => TensorInfo): TensorInfo {
  const ctx = new WasmKernelContext(backend);
  try {
    return ctx.keep(body(ctx));
  } finally {
    ctx.dispose();
  }
}

export function pair(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}

export function requireChannelsLast(kernelName: string, dataFormat: string | undefined): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(
      `${kernelName} on the wasm backend supports only NHWC (channels-last) tensors, got dataFormat '${dataFormat}'. ` +
        `Build the model with channels-last layers (the tfjs default).`,
    );
  }
}

/** Index of the tensor's first float in a Float32Array over the whole heap. */
export function floatOffset(backend: BackendWasm, x: TensorInfo): number {
  const data = backend.dataIdMap.get(x.dataId);
  if (data == null || data.memoryOffset == null) throw new Error('tensor is not on the wasm heap (was it disposed?)');
  return data.memoryOffset / 4;
}

/** A Float32Array over the whole wasm heap; take it after the last allocation. */
export function heapFloats(backend: BackendWasm): Float32Array {
  // HEAPU8 is the Emscripten heap the backend itself reads and writes; its typings omit it.
  const module = backend.wasm as unknown as { HEAPU8: Uint8Array };
  return new Float32Array(module.HEAPU8.buffer);
}

/** The arguments tfjs passes a wasm kernel function, with the inputs it needs made required. */
export interface WasmKernelArgs<InputName extends string, Attrs> {
  inputs: Record<InputName, TensorInfo>;
  backend: BackendWasm;
  attrs: Attrs;
}
