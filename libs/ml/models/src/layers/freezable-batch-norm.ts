import { tf } from '@ovus/ml-engine';

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type BatchNormLayer = ReturnType<typeof tf.layers.batchNormalization>;
type CallKwargs = Parameters<BatchNormLayer['call']>[1];

// tfjs exports the BatchNormalization class only as a type; its constructor is reached through an
// instance made once here.
type BatchNormClass = (new (args?: BatchNormArgs) => BatchNormLayer) &
  Pick<tf.serialization.SerializableConstructor<BatchNormLayer>, 'fromConfig'>;
const BatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as BatchNormClass;

/**
 * Batch normalisation with Keras' fine-tuning semantics: a layer set `trainable = false` normalises
 * with its moving statistics even when the model runs with `training: true`, and does not update
 * them. Stock tfjs keeps using (and updating) batch statistics, which drifts a frozen pretrained
 * backbone away from its ImageNet statistics during the frozen epochs.
 */
export class FreezableBatchNormalization extends BatchNormalization {
  static className = 'FreezableBatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    return super.call(inputs, this.trainable ? kwargs : { ...kwargs, training: false });
  }
}
tf.serialization.registerClass(FreezableBatchNormalization);

export interface BatchNormOptions {
  name: string;
  epsilon?: number;
  momentum?: number;
}

export function batchNorm({ name, epsilon = 1e-3, momentum = 0.99 }: BatchNormOptions): BatchNormLayer {
  return new FreezableBatchNormalization({ name, epsilon, momentum, axis: -1 });
}
