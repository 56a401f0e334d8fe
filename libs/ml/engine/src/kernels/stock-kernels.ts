// The wasm backend's own kernels, captured before this package replaces some of them, so a
// replacement can hand the cases it does not speed up back to the original.
import { getKernel, type KernelConfig } from '@tensorflow/tfjs';

const stock = new Map<string, KernelConfig>();

/** Remembers the stock kernel (once: re-registration must not capture our own replacement). */
export function rememberStockKernel(kernelName: string, ours: KernelConfig['kernelFunc']): void {
  if (stock.has(kernelName)) return;
  const existing = getKernel(kernelName, 'wasm');
  if (existing && existing.kernelFunc !== ours) stock.set(kernelName, existing);
}

export function stockKernel(kernelName: string): KernelConfig {
  const config = stock.get(kernelName) ?? getKernel(kernelName, 'wasm');
  if (config == null) throw new Error(`The wasm backend has no stock '${kernelName}' kernel to fall back to.`);
  return config;
}
