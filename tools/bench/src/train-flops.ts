// Multiply-add count of a Layers model's convolutions and dense layers, for "achieved GFLOP/s".
// A training step costs about 3x the forward pass (forward, input gradient, weight gradient).
import type { tf } from '@ovus/ml-engine';

interface LayerLike {
  getClassName(): string;
  outputShape: unknown;
  layers?: LayerLike[];
  getWeights(): tf.Tensor[];
  inboundNodes?: unknown[];
}

type Shape = (number | null)[];

function spatial(outputShape: unknown): number {
  const shapes = outputShape as Shape | Shape[];
  const shape = (Array.isArray(shapes[0]) ? shapes[0] : shapes) as Shape;
  return shape.slice(1, -1).reduce<number>((product, size) => product * (size ?? 1), 1);
}

/** Forward multiply-adds for one example; a nested model counts once per time it is applied. */
export function forwardMacsPerExample(model: LayerLike): number {
  let macs = 0;
  for (const layer of model.layers ?? []) {
    const className = layer.getClassName();
    if (layer.layers) {
      // A functional model keeps one inbound node for its own construction plus one per call.
      const applications = Math.max(1, (layer.inboundNodes?.length ?? 2) - 1);
      macs += applications * forwardMacsPerExample(layer);
      continue;
    }
    const kernel = layer.getWeights()[0];
    if (kernel == null) continue;
    if (className === 'Conv2D') macs += spatial(layer.outputShape) * kernel.size;
    else if (className === 'DepthwiseConv2D') macs += spatial(layer.outputShape) * kernel.size;
    else if (className === 'Dense') macs += kernel.size;
  }
  return macs;
}

/** FLOPs of one training step: 2 FLOPs per multiply-add, 3 passes. */
export function trainingStepFlops(model: LayerLike, batchSize: number): number {
  return 3 * 2 * forwardMacsPerExample(model) * batchSize;
}
