// tfjs-layers offers no public way to read or differentiate with respect to an intermediate
// layer's output while running the whole model (LayersModel.execute only feeds the model's own
// inputs, and nested models hide their inner tensors). So, for the duration of one computation, a
// layer's `call` is wrapped on that instance: the wrapper sees the layer's inputs and output and
// may replace the output (Grad-CAM adds a zero tensor there and differentiates with respect to it).
// The prototype's method is restored afterwards, whatever happens.
import type { tf } from '@ovus/ml-engine';

type Kwargs = Record<string, unknown>;
type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];
export type LayerWrap = (output: tf.Tensor, inputs: tf.Tensor | tf.Tensor[]) => tf.Tensor;

export function withLayerHooks<T>(hooks: readonly { layer: tf.layers.Layer; wrap: LayerWrap }[], run: () => T): T {
  const patched: tf.layers.Layer[] = [];
  try {
    for (const { layer, wrap } of hooks) {
      if (Object.prototype.hasOwnProperty.call(layer, 'call')) throw new Error(`Layer '${layer.name}' is already hooked.`);
      const original = (layer.call as CallFn).bind(layer);
      (layer as unknown as { call: CallFn }).call = (inputs, kwargs) => {
        const output = original(inputs, kwargs);
        if (Array.isArray(output)) throw new Error(`Layer '${layer.name}' has several outputs; it cannot be hooked.`);
        return wrap(output, inputs);
      };
      patched.push(layer);
    }
    return run();
  } finally {
    for (const layer of patched) Reflect.deleteProperty(layer, 'call');
  }
}
