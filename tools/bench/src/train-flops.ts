// FLOPs of a model's forward pass, counted from the kernels it actually runs (tf.profile): the
// multiply-adds of convolutions, depthwise convolutions and matrix products, x2. Counting the
// executed kernels rather than the layer list gets shared backbones, stacked batches and custom
// layers (ViT attention) right. A training step costs about 3x the forward pass (forward, input
// gradient, weight gradient).
import { tf } from '@ovus/ml-engine';

const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export interface ProfiledKernel {
  name: string;
  inputShapes: (number[] | null)[];
  outputShapes: (number[] | null)[];
}

export function kernelMacs(kernel: ProfiledKernel): number {
  const [a, b] = kernel.inputShapes;
  const out = kernel.outputShapes[0];
  if (!a || !b || !out) return 0;
  switch (kernel.name) {
    case 'Conv2D':
    case 'FusedConv2D':
      return product(out) * b[0] * b[1] * b[2]; // filter [kh, kw, in, out]
    case 'DepthwiseConv2dNative':
    case 'FusedDepthwiseConv2D':
      return product(out) * b[0] * b[1];
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // out [..., m, n]; the contracted size is the dimension of a that is not m.
      const m = out[out.length - 2];
      const [a0, a1] = a.slice(-2);
      return product(out) * (a0 === m ? a1 : a0);
    }
    default:
      return 0;
  }
}

export async function forwardFlops(run: () => void): Promise<number> {
  const profile = await tf.profile(run);
  return 2 * profile.kernels.reduce((sum, kernel) => sum + kernelMacs(kernel as unknown as ProfiledKernel), 0);
}

/** Training-step FLOPs of a model on a batch: 3x its forward pass. */
export async function trainingStepFlops(model: tf.LayersModel, inputs: tf.Tensor[]): Promise<number> {
  return 3 * (await forwardFlops(() => tf.tidy(() => void model.predict(inputs))));
}
