// Grad-CAM (Selvaraju et al., 2017) on the multi-input multi-task model, per head and per image:
// for head t and class c, the weights are the spatial means of d z_c / d A (z_c the class score
// before the softmax, A the last convolutional feature map), and the map is ReLU(Σ_k w_k A_k),
// upsampled to the input size and divided by its maximum. With a shared backbone the BMUS and
// CEUS images run through it as separate rows of one batch, so each has its own feature map and
// its own saliency map; with 'separate' fusion each modality has its own backbone; with 'early'
// fusion the two images are one 6-channel input and share one map.
import { TASKS, type TaskName } from '@ovus/domain';
import { tf } from '@ovus/ml-engine';
import { getBackbones, getModelTasks, readModelMetadata } from '@ovus/ml-models';
import type { Modality } from '../input-pair';
import { withLayerHooks } from './layer-hooks';
import { familyOf, findSaliencyLayer, type SaliencyLayer } from './target-layer';

export interface SaliencyMap {
  task: TaskName;
  modality: Modality;
  /** The class explained (default: the predicted one). */
  classCode: number;
  className: string;
  probability: number;
  /** size × size, row-major, in [0, 1]; the maximum is 1 unless no location has positive evidence (then all 0). */
  map: Float32Array;
  size: number;
  /** The map's resolution before upsampling (feature-map or token grid). */
  grid: [number, number];
  /**
   * The map at that resolution, before upsampling (grid[0] × grid[1], row-major), divided by the
   * same maximum as `map` (so a cell may exceed 1 by the few per cent that bilinear interpolation
   * shaves off an inner peak): what the feature map itself says, one value per cell, for comparing with
   * a region at the resolution the map actually has (bilinear upsampling spreads each cell's mass
   * half a cell into its neighbours).
   */
  cells: Float32Array;
  /** Largest value before normalisation (0: the class score has no positive evidence in the map). */
  peak: number;
}

export interface GradCamResult {
  /** What was computed and where, in words. */
  method: string;
  layers: string[];
  /** Per case (row of the input batch), one map per head and modality. */
  cases: SaliencyMap[][];
}

export interface GradCamOptions {
  /** Heads to explain; default all of the model's. */
  tasks?: readonly TaskName[];
  /** Class code to explain per head; default the predicted class of each case. */
  classCodes?: Partial<Record<TaskName, number>>;
  /**
   * A CNN backbone's layer to take the feature map at, instead of its last one: an earlier block
   * gives a finer map (Grad-CAM's weights are still the class score's averaged gradients there).
   */
  layer?: string;
}

interface Target {
  saliency: SaliencyLayer;
  /** Which modality each row of this target's feature map belongs to, and which case. */
  rows: (n: number) => { modality: Modality | 'both'; caseIndex: number }[];
}

function targetsOf(model: tf.LayersModel, layer?: string): Target[] {
  const metadata = readModelMetadata(model);
  if (metadata?.kind !== 'multi-task') throw new TypeError(`Model '${model.name}' is not a multi-task model.`);
  const { fusion, backbone } = metadata.config;
  const family = familyOf(backbone);
  const backbones = getBackbones(model);
  const each = (modality: Modality | 'both') => (n: number) => Array.from({ length: n }, (_, i) => ({ modality, caseIndex: i }));
  switch (fusion) {
    case 'shared':
      // ModalityStack puts the n BMUS images first, then the n CEUS images.
      return [{ saliency: findSaliencyLayer(backbones[0], family, layer), rows: (n) => [...each('bmus')(n), ...each('ceus')(n)] }];
    case 'separate':
      return backbones.map((b) => ({ saliency: findSaliencyLayer(b, family, layer), rows: each(b.name.startsWith('bmus') ? 'bmus' : 'ceus') }));
    case 'early':
      return [{ saliency: findSaliencyLayer(backbones[0], family, layer), rows: each('both') }];
  }
}

/** [m, h, w, c] from a feature map or a token sequence (class token dropped, patches to their grid). */
function asGrid(tensor: tf.Tensor, saliency: SaliencyLayer): tf.Tensor4D {
  if (saliency.kind === 'feature-map') return tensor as tf.Tensor4D;
  const [m, tokens, channels] = tensor.shape as [number, number, number];
  const [h, w] = saliency.grid;
  return tf.reshape(tf.slice(tensor, [0, 1, 0], [m, tokens - 1, channels]), [m, h, w, channels]);
}

function camOf(features: tf.Tensor, gradients: tf.Tensor, saliency: SaliencyLayer, size: number): { maps: tf.Tensor3D; cells: tf.Tensor3D; peaks: tf.Tensor1D } {
  return tf.tidy(() => {
    const a = asGrid(features, saliency);
    const g = asGrid(gradients, saliency);
    const weights = tf.mean(g, [1, 2], true); // [m, 1, 1, c]
    const cam = tf.relu(tf.sum(tf.mul(a, weights), -1, true)); // [m, h, w, 1]
    const up = tf.relu(tf.image.resizeBilinear(cam as tf.Tensor4D, [size, size], false, true)); // half-pixel centres, like sharp
    // A peak at float-rounding level is no evidence: that map is reported as all zero.
    const raw = tf.max(up, [1, 2, 3]);
    const positive = tf.greater(raw, 1e-10);
    const peaks = tf.where(positive, raw, tf.zerosLike(raw));
    const divisor = tf.where(positive, raw, tf.onesLike(raw)).reshape([-1, 1, 1, 1]);
    const keep = tf.cast(positive, 'float32').reshape([-1, 1, 1, 1]);
    const maps = tf.mul(tf.div(up, divisor), keep);
    const cells = tf.mul(tf.div(cam, divisor), keep);
    return { maps: tf.squeeze(maps, [3]) as tf.Tensor3D, cells: tf.squeeze(cells, [3]) as tf.Tensor3D, peaks: peaks as tf.Tensor1D };
  });
}

/**
 * Saliency maps for a batch of pairs (images in [0, 1], [n, size, size, 3]), in inference mode.
 * Costs one forward pass plus one forward and backward pass per head.
 */
export function gradCam(model: tf.LayersModel, bmus: tf.Tensor4D, ceus: tf.Tensor4D, options: GradCamOptions = {}): GradCamResult {
  const modelTasks = getModelTasks(model);
  const tasks = options.tasks ?? modelTasks;
  const missing = tasks.filter((t) => !modelTasks.includes(t));
  if (missing.length > 0) throw new RangeError(`The model has no head for ${missing.join(', ')}; its heads: ${modelTasks.join(', ')}.`);
  const n = bmus.shape[0];
  const size = bmus.shape[1];
  const targets = targetsOf(model, options.layer);
  const inputs = [bmus, ceus];

  // Pass 1: the feature maps and each head's probabilities.
  const features: tf.Tensor[] = [];
  const probabilities = tf.tidy(() =>
    withLayerHooks(
      targets.map((t, k) => ({ layer: t.saliency.layer, wrap: (out: tf.Tensor) => ((features[k] = tf.keep(out.clone())), out) })),
      () => {
        const outputs = model.apply(inputs, { training: false }) as tf.Tensor | tf.Tensor[];
        const list = Array.isArray(outputs) ? outputs : [outputs];
        return modelTasks.map((_, i) => list[i].arraySync() as number[][]);
      },
    ),
  );

  const cases: SaliencyMap[][] = Array.from({ length: n }, () => []);
  try {
    for (const task of tasks) {
      const head = model.getLayer(task);
      const rows = probabilities[modelTasks.indexOf(task)];
      const { codes, classNames } = TASKS[task];
      const explained = rows.map((row) => {
        const chosen = options.classCodes?.[task];
        if (chosen !== undefined) {
          const index = codes.indexOf(chosen);
          if (index < 0) throw new RangeError(`Task '${task}' has no class code ${chosen}; its codes: ${codes.join(', ')}.`);
          return index;
        }
        return row.indexOf(Math.max(...row));
      });
      const gradients = tf.tidy(() => {
        const mask = tf.oneHot(tf.tensor1d(explained, 'int32'), codes.length);
        const score = (...deltas: tf.Tensor[]): tf.Scalar => {
          let headInput: tf.Tensor | undefined;
          withLayerHooks(
            [
              ...targets.map((t, k) => ({ layer: t.saliency.layer, wrap: (out: tf.Tensor) => tf.add(out, deltas[k]) })),
              { layer: head, wrap: (out: tf.Tensor, x: tf.Tensor | tf.Tensor[]) => ((headInput = Array.isArray(x) ? x[0] : x), out) },
            ],
            () => model.apply(inputs, { training: false }),
          );
          // The class score before the softmax: the head's dense layer without its activation.
          const [kernel, bias] = head.getWeights();
          const logits = tf.add(tf.matMul(headInput as tf.Tensor2D, kernel as tf.Tensor2D), bias);
          return tf.sum(tf.mul(logits, mask));
        };
        return tf.grads(score)(features.map((f) => tf.zerosLike(f))).map((g) => tf.keep(g));
      });
      targets.forEach((target, k) => {
        const { maps, cells, peaks } = camOf(features[k], gradients[k], target.saliency, size);
        const mapData = maps.dataSync() as Float32Array;
        const cellData = cells.dataSync() as Float32Array;
        const peakData = peaks.dataSync();
        tf.dispose([maps, cells, peaks, gradients[k]]);
        const [gh, gw] = target.saliency.grid;
        target.rows(n).forEach(({ modality, caseIndex }, row) => {
          const index = explained[caseIndex];
          const base = {
            task,
            classCode: codes[index],
            className: classNames[index],
            probability: rows[caseIndex][index],
            map: mapData.slice(row * size * size, (row + 1) * size * size),
            size,
            grid: target.saliency.grid,
            cells: cellData.slice(row * gh * gw, (row + 1) * gh * gw),
            peak: peakData[row],
          };
          const modalities: Modality[] = modality === 'both' ? ['bmus', 'ceus'] : [modality];
          for (const m of modalities) cases[caseIndex].push({ ...base, modality: m });
        });
      });
    }
  } finally {
    tf.dispose(features);
  }
  const fusion = readModelMetadata(model)?.kind === 'multi-task' ? (readModelMetadata(model) as { config: { fusion: string } }).config.fusion : 'shared';
  const method = `${targets[0].saliency.method}${fusion === 'early' ? '; early fusion: one map for both images' : ''}`;
  return { method, layers: targets.map((t) => t.saliency.layer.name), cases };
}
