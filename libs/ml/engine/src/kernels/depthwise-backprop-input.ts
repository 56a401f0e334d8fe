// DepthwiseConv2dNativeBackpropInput for the wasm backend (missing there): XNNPACK depthwise
// convolutions of dy with the flipped filter, one per stride phase; a channel multiplier m > 1
// is handled by convolving all c*m channels and summing each group of m while interleaving.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { backpropInputPhases } from './backprop-input-phases';
import { convolveDyByPhases } from './phase-convolution';
import { withWasmContext, type WasmKernelArgs } from './wasm-kernel-context';

function depthwiseBackpropInput(args: WasmKernelArgs<'dy' | 'filter', DepthwiseConv2dNativeBackpropInputAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const rows = backpropInputPhases({
    inSize: info.inHeight, outSize: info.outHeight, filterSize: info.filterHeight,
    stride: info.strideHeight, dilation: info.dilationHeight, padBefore: info.padInfo.top,
  });
  const cols = backpropInputPhases({
    inSize: info.inWidth, outSize: info.outWidth, filterSize: info.filterWidth,
    stride: info.strideWidth, dilation: info.dilationWidth, padBefore: info.padInfo.left,
  });
  return withWasmContext(backend, (ctx) =>
    convolveDyByPhases(ctx, { dy, filter, inputShape: attrs.inputShape, rows, cols, kind: 'depthwise' }),
  );
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};
