// On phantoms, where the tumour is known, a small model trained for a few epochs looks at the
// tumour: the share of each Grad-CAM map's mass inside the lesion mask, averaged over the test
// cases, both modalities and every head, is compared with the share of the image the lesion covers
// (what a map spread evenly would give).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { casesOfPart, makeHoldoutSplit, synthesizePhantom, validateDataset } from '@ovus/data';
import { initEngine, tf } from '@ovus/ml-engine';
import { loadModel } from '@ovus/ml-models';
import { prepareRunData, trainModel, type LoopConfig } from '@ovus/ml-training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradCam, massInside, renderOverlay } from '../src';
import { mkdir, writeFile } from 'node:fs/promises';

// 128 px: five halvings leave a 4×4 feature map (at 64 px, 2×2 maps only say which quadrant).
const SIZE = Number(process.env.LOC_SIZE ?? 128);
const CASES = Number(process.env.LOC_CASES ?? 128);
const EPOCHS = Number(process.env.LOC_EPOCHS ?? 8);
const BACKBONE = process.env.LOC_BACKBONE ?? 'resnet18';
const TASKS = ['blood_flow', 'solid', 'malignancy'] as const;
/** The backbone layer the asserted maps are taken at (default its last feature map). */
const LAYER = process.env.LOC_LAYER || undefined;
/** More layers to measure on the same trained model, comma-separated (printed, not asserted): an experiment. */
const EXTRA_LAYERS = (process.env.LOC_EXTRA_LAYERS ?? '').split(',').filter((l) => l !== '');

let dir: string;
beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'ovus-saliency-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(): LoopConfig {
  return {
    model: { backbone: BACKBONE, backboneOptions: { widthMultiplier: 0.25, depthMultiplier: 0.5 }, tasks: [...TASKS], inputSize: SIZE, dropout: 0.2 },
    epochs: EPOCHS,
    batchSize: 8,
    gradientAccumulationSteps: 1,
    optimizer: { name: 'adam', learningRate: 2e-3, weightDecay: 0, momentum: 0.9 },
    schedule: { kind: 'cosine', warmupEpochs: 0, minLearningRate: 0, stepEpochs: 10, gamma: 0.1 },
    seed: 1,
    augmentation: { enabled: true, flipProbability: 0.5, maxRotationDeg: 10, brightness: 0.08, contrast: 0.2, speckle: 0.1 },
    earlyStopping: null,
    freezeBackboneEpochs: 0,
    pretrainedWeights: null,
    taskWeights: {},
    classWeights: 'none',
    evaluation: { bootstrapResamples: 0, confidenceLevel: 0.95 },
    batchNormMomentum: 0.9,
  };
}

describe('Grad-CAM on a trained model', () => {
  it('concentrates the maps of findings it sees inside the phantom lesion, well above what an even spread gives', async () => {
    const phantom = await synthesizePhantom({ outDir: join(dir, 'phantom'), seed: 4, cases: CASES, imageSize: SIZE, lesionMasks: true });
    const validated = await validateDataset(phantom.manifestPath);
    if (!validated.ok) throw new Error('phantom did not validate');
    const { dataset } = validated;
    const split = makeHoldoutSplit(dataset.cases, { seed: 0, fractions: { train: 0.7, validation: 0.1, test: 0.2 } });
    const data = await prepareRunData({ rootDir: dataset.rootDir, cases: dataset.cases, split, tasks: [...TASKS], imageSize: SIZE });
    let bestDir: string | null = null;
    const started = Date.now();
    const outcome = await trainModel({ config: config(), data, workDir: join(dir, 'train'), callbacks: { onBestModel: (e) => void (bestDir = e.dir) } });
    const { model } = await loadModel(bestDir ?? join(dir, 'train', 'checkpoint'));
    const testCases = casesOfPart(split, dataset.cases, 'test');
    const measure = async (layer: string | undefined) => {
      const lesionOf = new Map(phantom.cases.map((c) => [c.caseId, c.lesionPath as string]));
      const fractions: number[] = [];
      const present: number[] = [];
      const byKind = new Map<string, number[]>();
      let peaksInside = 0;
      const areas: number[] = [];
      for (const [i, record] of testCases.entries()) {
        const mask = await sharp(join(phantom.outDir, lesionOf.get(record.caseId) as string)).extractChannel(0).raw().toBuffer();
        const inside = Uint8Array.from(mask, (v) => (v > 127 ? 1 : 0));
        areas.push(inside.reduce((s, v) => s + v, 0) / inside.length);
        const bmus = tf.tensor4d(data.test.bmus[i], [1, SIZE, SIZE, 3]);
        const ceus = tf.tensor4d(data.test.ceus[i], [1, SIZE, SIZE, 3]);
        const dump = process.env.LOC_DUMP;
        if (dump && i < 3) {
          await mkdir(dump, { recursive: true });
          const maps = gradCam(model, bmus, ceus, { layer }).cases[0];
          for (const m of maps) await writeFile(join(dump, `${record.caseId}_${m.task}_${m.modality}.png`), await renderOverlay(m.modality === 'bmus' ? data.test.bmus[i] as Float32Array : data.test.ceus[i] as Float32Array, SIZE, m.map, SIZE));
          await writeFile(join(dump, `${record.caseId}_mask.png`), await sharp(Buffer.from(inside.map((v) => v * 255)), { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toBuffer());
        }
        for (const map of gradCam(model, bmus, ceus, { layer }).cases[0]) {
          const f = massInside(map.map, inside);
          if (!Number.isFinite(f)) continue;
          fractions.push(f);
          const kind = `${map.task}/${map.modality}/${map.className}`;
          byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
          if (inside[map.map.indexOf(1)]) peaksInside++;
          // A finding the model says is present (flow, a solid part) is drawn inside the tumour; its
          // map has a place to point at. "Absent" and "benign" have no location of their own.
          if (map.modality === 'ceus' && map.className === 'Exist') present.push(f);
        }
        tf.dispose([bmus, ceus]);
      }
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const summary = {
        backbone: BACKBONE,
        layer: layer ?? 'last feature map',
        size: SIZE,
        epochs: EPOCHS,
        testCases: testCases.length,
        maps: fractions.length,
        meanMassInLesion: mean(fractions),
        medianMassInLesion: [...fractions].sort((a, b) => a - b)[Math.floor(fractions.length / 2)],
        meanLesionArea: mean(areas),
        presentFindingsCeus: mean(present),
        peakInLesion: peaksInside / fractions.length,
        byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, `${mean(v).toFixed(3)} (n=${v.length})`])),
        testF1: Object.fromEntries(Object.entries(outcome.results.test).map(([t, s]) => [t, s?.f1])),
        seconds: (Date.now() - started) / 1000,
      };
      return { summary, present };
    };
    for (const extra of EXTRA_LAYERS) console.log(`saliency localisation (extra layer): ${JSON.stringify((await measure(extra)).summary)}`);
    const { summary, present } = await measure(LAYER);
    console.log(`saliency localisation: ${JSON.stringify(summary)}`);
    // Measured (2-core VM): all maps 0.25 of their mass in the lesion, which covers 0.17 of the
    // image; CEUS maps of findings present 0.39-0.46. See the README: not yet "mostly inside".
    expect(summary.meanMassInLesion).toBeGreaterThan(summary.meanLesionArea);
    expect(present.length).toBeGreaterThan(3);
    expect(summary.presentFindingsCeus).toBeGreaterThan(2 * summary.meanLesionArea);
    model.dispose();
  });
});
