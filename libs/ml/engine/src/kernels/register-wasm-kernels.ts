// Installs the training kernels the wasm backend lacks or runs slowly. Idempotent.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-backprop-input';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';
import { tileConfig } from './tile';
import { meanConfig, sumConfig } from './leading-axes-reduction';
import { maxPoolGradConfig } from './max-pool-grad';
import { identityConfig } from './identity';
import { batchNormGradSumsConfig, fusedBatchNormConfig } from './batch-norm';
import { layoutKernelConfigs } from './layout-kernels';
import { conv2DConfig, fusedConv2DConfig } from './conv2d-forward';
import { batchMatMulConfig } from './batch-mat-mul';
import { rememberStockKernel } from './stock-kernels';

/** The kernels this package installs on the wasm backend, in the order they are registered. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  tileConfig,
  sumConfig,
  meanConfig,
  maxPoolGradConfig,
  identityConfig,
  fusedBatchNormConfig,
  batchNormGradSumsConfig,
  ...layoutKernelConfigs,
  conv2DConfig,
  fusedConv2DConfig,
  batchMatMulConfig,
];

export function registerWasmTrainingKernels(): string[] {
  const installed: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    rememberStockKernel(config.kernelName, config.kernelFunc);
    const existing = getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    // Replacing a stock kernel (e.g. the slow Conv2DBackpropInput): unregister first, because
    // registerKernel warns on duplicates.
    if (existing) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
    installed.push(config.kernelName);
  }
  return installed;
}
