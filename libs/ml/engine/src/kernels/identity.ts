// Identity for the wasm backend without a copy. tfjs clones tensors (Identity) whenever it
// saves them for a gradient or keeps them past a scope; the stock wasm kernel copies the data
// each time (~2,600 copies per MobileNetV3 training step). Tensors are immutable, so sharing
// the buffer under a reference count is what the cpu backend does too.
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { stockKernel } from './stock-kernels';
import type { WasmKernelArgs } from './wasm-kernel-context';

function identity(args: WasmKernelArgs<'x', Record<string, never>>): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === 'string') return stockKernel(Identity).kernelFunc(args as never) as TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
