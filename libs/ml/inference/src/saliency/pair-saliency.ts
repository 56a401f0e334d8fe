// Grad-CAM for one loaded pair with the run's model, and the overlays a person looks at: each
// image decoded again at the display size with the training resize, so picture and map line up.
import { loadImage } from '@ovus/data';
import { tf } from '@ovus/ml-engine';
import type { LoadedPair, Modality } from '../input-pair';
import type { Predictor } from '../predictor';
import { gradCam, type SaliencyMap } from './grad-cam';
import { renderOverlay } from './overlay';

export interface SaliencyOverlay {
  map: SaliencyMap;
  /** PNG bytes: the image in grey with the map as a heat overlay, at the input image's aspect. */
  png: Buffer;
  /** The square the map was drawn on (the PNG's longer side). */
  side: number;
  /** The PNG's width × height: `side` on the input's longer side, its aspect kept. */
  width: number;
  height: number;
}

export interface PairSaliency {
  method: string;
  overlays: SaliencyOverlay[];
}

export async function pairSaliency(predictor: Predictor, pair: LoadedPair, options: { side?: number } = {}): Promise<PairSaliency> {
  const size = predictor.config.inputSize;
  const side = options.side ?? Math.max(256, size);
  const bmus = tf.tensor4d(pair.bmus.pixels, [1, size, size, 3]);
  const ceus = tf.tensor4d(pair.ceus.pixels, [1, size, size, 3]);
  let result;
  try {
    result = gradCam(predictor.model, bmus, ceus);
  } finally {
    tf.dispose([bmus, ceus]);
  }
  const display: Record<Modality, Float32Array> = {
    bmus: await loadImage(pair.bmus.path, { size: side, normalization: 'unit', cache: null }),
    ceus: await loadImage(pair.ceus.path, { size: side, normalization: 'unit', cache: null }),
  };
  const overlays: SaliencyOverlay[] = [];
  for (const map of result.cases[0]) {
    const { width, height } = displaySize(pair[map.modality].source, side);
    overlays.push({ map, side, width, height, png: await renderOverlay(display[map.modality], side, map.map, map.size, { output: { width, height } }) });
  }
  return { method: result.method, overlays };
}

/** The input's aspect with `side` on its longer edge (at least 1 pixel on the shorter). */
export function displaySize(source: { width: number; height: number }, side: number): { width: number; height: number } {
  const scale = side / Math.max(source.width, source.height);
  return { width: Math.max(1, Math.round(source.width * scale)), height: Math.max(1, Math.round(source.height * scale)) };
}
