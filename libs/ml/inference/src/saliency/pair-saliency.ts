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
  /** PNG bytes: the image in grey with the map as a heat overlay. */
  png: Buffer;
  side: number;
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
  for (const map of result.cases[0]) overlays.push({ map, side, png: await renderOverlay(display[map.modality], side, map.map, map.size) });
  return { method: result.method, overlays };
}
