// Batch-norm momentum for short runs. Keras' MobileNet backbones keep moving statistics with
// momentum 0.999, so after a few hundred steps (a small dataset, a few epochs) they are still
// mostly their initial values and inference ignores what training learned: measured here, a
// MobileNetV3 trained 8 epochs on the phantom predicted one class for every case in inference
// mode while fitting the training cases in training mode. The loop can set one momentum for every
// batch-norm layer (0.9 is PyTorch's default 0.1 in Keras' convention).
import type { tf } from '@ovus/ml-engine';

interface MomentumLayer {
  momentum: number;
}

function batchNormLayers(model: tf.LayersModel): MomentumLayer[] {
  const out: MomentumLayer[] = [];
  const visit = (layers: readonly tf.layers.Layer[]) => {
    for (const layer of layers) {
      const nested = (layer as Partial<tf.LayersModel>).layers;
      if (nested) visit(nested);
      else if (layer.getClassName().endsWith('BatchNormalization')) out.push(layer as unknown as MomentumLayer);
    }
  };
  visit(model.layers);
  return out;
}

/** Sets the moving-average momentum of every batch-norm layer (nested models included); returns how many. */
export function setBatchNormMomentum(model: tf.LayersModel, momentum: number): number {
  if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`batch-norm momentum must be in [0, 1); got ${momentum}.`);
  const layers = batchNormLayers(model);
  for (const layer of layers) layer.momentum = momentum;
  return layers.length;
}

export function batchNormMomenta(model: tf.LayersModel): number[] {
  return batchNormLayers(model).map((l) => l.momentum);
}
