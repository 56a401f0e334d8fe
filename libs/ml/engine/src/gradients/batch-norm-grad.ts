// FusedBatchNorm's gradient without full-size temporaries. The stock one materialises x − mean,
// dy·scale, a tiled 1/σ and three products of full size (~10 passes and a Tile). In closed form:
//   dx = dy · scale/σ                      dmean = −scale/σ · Σdy
//   dvariance = −½ · scale/σ³ · Σdy(x−μ)    dscale = Σdy(x−μ)/σ      doffset = Σdy
// so one pass for the two sums (OvusBatchNormGradSums, wasm) and one for dx. Where that kernel is
// not registered (other backends, statistics not of shape [C]) the stock gradient runs.
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_GRAD_SUMS } from '../kernels/batch-norm';

type GradFunc = tf.GradConfig['gradFunc'];

export function batchNormGradConfig(stock: tf.GradConfig): tf.GradConfig {
  const gradFunc: GradFunc = (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const dyTensor = dy as tf.Tensor;
    const channels = x.shape[x.shape.length - 1];
    const fast =
      tf.getKernel(BATCH_NORM_GRAD_SUMS, tf.getBackend()) != null &&
      x.dtype === 'float32' &&
      [mean, variance, scale].every((v) => v == null || (v.rank === 1 && v.size === channels));
    if (!fast) return stock.gradFunc(dy, saved, attrs);
    const epsilon = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const gamma = scale ?? tf.scalar(1);
    const inverseStd = tf.rsqrt(tf.add(variance, epsilon));
    const gammaOverStd = tf.mul(gamma, inverseStd);
    // Computed here, not in the thunks: tfjs runs each thunk in its own tidy, which would free a
    // result shared between them (the stock gradient shares x − mean the same way).
    const [sumDy, sumDyCentred] = tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy: dyTensor, x, mean }) as tf.Tensor[];
    return {
      x: () => tf.mul(dyTensor, gammaOverStd),
      mean: () => tf.reshape(tf.mul(tf.neg(gammaOverStd), sumDy), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(gammaOverStd, tf.square(inverseStd)), -0.5), sumDyCentred), mean.shape),
      scale: () => tf.reshape(tf.mul(inverseStd, sumDyCentred), mean.shape),
      offset: () => tf.reshape(sumDy, mean.shape),
    };
  };
  return { ...stock, gradFunc };
}
