// Where Grad-CAM looks in each backbone, found from the graph rather than from a list of layer
// names per architecture:
// - CNNs: the feature map the registry's global pooling pools (every backbone ends in one), and if
//   that map is itself a local max/average pooling of a convolution (VGG's block5_pool), the
//   convolution's output before it: the last convolutional feature map, at its finest resolution.
// - ViT: its tokens have no convolution at the end. We use the gradient-based equivalent on the
//   token grid: Grad-CAM over the patch tokens that enter the last encoder block's attention (the
//   output of that block's first LayerNorm), reshaped to the patch grid, class token left out. The
//   input of the attention is taken rather than the encoder's output because, with class-token
//   pooling, the output's patch tokens never reach the score.
import { tf } from '@ovus/ml-engine';
import { listBackbones, type BackboneFamily } from '@ovus/ml-models';

export interface SaliencyLayer {
  layer: tf.layers.Layer;
  /** 'feature-map': [n, h, w, c]; 'tokens': [n, 1 + g·g, c] with the class token first. */
  kind: 'feature-map' | 'tokens';
  /** Spatial grid of the map: h × w (tokens: the patch grid). */
  grid: [number, number];
  method: string;
}

const GLOBAL_POOLING = new Set(['GlobalAveragePooling2D', 'GlobalMaxPooling2D']);
const LOCAL_POOLING = new Set(['MaxPooling2D', 'AveragePooling2D']);

function inboundLayer(layer: tf.layers.Layer): tf.layers.Layer {
  const node = layer.inboundNodes[0];
  if (!node || node.inboundLayers.length !== 1) throw new Error(`Layer '${layer.name}' does not have exactly one input layer.`);
  return node.inboundLayers[0];
}

function shapeOf(layer: tf.layers.Layer): (number | null)[] {
  const shape = layer.outputShape;
  return (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
}

export function familyOf(backboneName: string): BackboneFamily {
  const info = listBackbones().find((b) => b.name === backboneName);
  if (!info) throw new RangeError(`Unknown backbone '${backboneName}'.`);
  return info.family;
}

export function findSaliencyLayer(backbone: tf.LayersModel, family: BackboneFamily, layerName?: string): SaliencyLayer {
  if (layerName !== undefined) {
    const maps = backbone.layers.filter((l) => shapeOf(l).length === 4);
    const chosen = maps.find((l) => l.name === layerName);
    if (!chosen || family === 'vit') {
      throw new RangeError(`Backbone '${backbone.name}' has no feature-map layer '${layerName}'${family === 'vit' ? ' (ViT maps its token grid)' : `; its block outputs: ${maps.filter((l) => /_out$|relu$|act$/.test(l.name)).map((l) => l.name).join(', ')}`}.`);
    }
    const shape = shapeOf(chosen);
    return { layer: chosen, kind: 'feature-map', grid: [shape[1] as number, shape[2] as number], method: `Grad-CAM at '${chosen.name}' (${shape[1]}×${shape[2]}×${shape[3]}), chosen in place of the last feature map` };
  }
  if (family === 'vit') {
    const norms = backbone.layers
      .map((layer) => ({ layer, block: /encoderblock_(\d+)\/LayerNorm_0$/.exec(layer.name)?.[1] }))
      .filter((l) => l.block !== undefined)
      .sort((a, b) => Number(b.block) - Number(a.block));
    if (norms.length === 0) throw new Error(`Backbone '${backbone.name}' has no encoder block LayerNorm_0 layer.`);
    const tokens = shapeOf(norms[0].layer)[1] as number;
    const side = Math.round(Math.sqrt(tokens - 1));
    if (side * side !== tokens - 1) throw new Error(`Backbone '${backbone.name}': ${tokens - 1} patch tokens do not form a square grid.`);
    return {
      layer: norms[0].layer,
      kind: 'tokens',
      grid: [side, side],
      method: `gradient-weighted patch tokens (Grad-CAM on the ${side}×${side} token grid at '${norms[0].layer.name}', class token excluded)`,
    };
  }
  // The pooling that makes the backbone's output (squeeze-excite blocks have global poolings too).
  const pooling = backbone.outputLayers[0];
  if (!pooling || !GLOBAL_POOLING.has(pooling.getClassName())) {
    throw new Error(`Backbone '${backbone.name}' does not end in a global pooling layer; cannot find its last feature map.`);
  }
  let layer = inboundLayer(pooling);
  while (LOCAL_POOLING.has(layer.getClassName())) layer = inboundLayer(layer);
  const shape = shapeOf(layer);
  if (shape.length !== 4) throw new Error(`Backbone '${backbone.name}': '${layer.name}' is not a feature map (shape ${JSON.stringify(shape)}).`);
  return { layer, kind: 'feature-map', grid: [shape[1] as number, shape[2] as number], method: `Grad-CAM at '${layer.name}' (${shape[1]}×${shape[2]}×${shape[3]})` };
}
