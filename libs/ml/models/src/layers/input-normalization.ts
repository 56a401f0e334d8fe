import { tf } from '@ovus/ml-engine';

/**
 * How a family's reference ImageNet weights expect their input, given images in [0, 1] (RGB):
 * - 'tf':    scaled to [-1, 1] (Keras MobileNetV2/V3, ViT).
 * - 'torch': (x - mean) / std with ImageNet mean/std (torchvision, Keras DenseNet/EfficientNet).
 * - 'caffe': RGB→BGR, x·255 − ImageNet BGR mean (Keras VGG16/19, ResNet50).
 * - 'none':  unchanged.
 * Channels beyond three (early fusion stacks two RGB images) repeat the rule per group of three.
 */
export type NormalizationMode = 'tf' | 'torch' | 'caffe' | 'none';

const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];
const CAFFE_BGR_MEAN = [103.939, 116.779, 123.68];

interface AffinePerChannel {
  scale: number[];
  offset: number[];
  /** Source channel of each output channel (for the RGB→BGR swap), or null to keep the order. */
  order: number[] | null;
}

function affineFor(mode: NormalizationMode, channels: number): AffinePerChannel {
  const groups = Array.from({ length: channels }, (_, c) => c % 3);
  switch (mode) {
    case 'none':
      return { scale: groups.map(() => 1), offset: groups.map(() => 0), order: null };
    case 'tf':
      return { scale: groups.map(() => 2), offset: groups.map(() => -1), order: null };
    case 'torch':
      return {
        scale: groups.map((g) => 1 / TORCH_STD[g]),
        offset: groups.map((g) => -TORCH_MEAN[g] / TORCH_STD[g]),
        order: null,
      };
    case 'caffe':
      return {
        scale: groups.map(() => 255),
        offset: groups.map((g) => -CAFFE_BGR_MEAN[g]),
        order: groups.map((g, c) => c - g + (2 - g)),
      };
  }
}

export interface InputNormalizationArgs {
  mode: NormalizationMode;
  name?: string;
}

export class InputNormalization extends tf.layers.Layer {
  static className = 'InputNormalization';
  readonly mode: NormalizationMode;

  constructor(args: InputNormalizationArgs) {
    super({ name: args.name });
    this.mode = args.mode;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const channels = x.shape[x.shape.length - 1] ?? 0;
      if (this.mode !== 'none' && this.mode !== 'tf' && channels % 3 !== 0) {
        throw new RangeError(
          `InputNormalization '${this.mode}' needs a multiple of 3 channels (RGB groups); got ${channels}. ` +
            `Use preprocessing 'none' for other channel counts.`,
        );
      }
      const { scale, offset, order } = affineFor(this.mode, channels);
      const ordered = order === null ? x : tf.gather(x, order, -1);
      return tf.add(tf.mul(ordered, tf.tensor1d(scale)), tf.tensor1d(offset));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}
tf.serialization.registerClass(InputNormalization);
