// On phantoms, where the tumour is known, a small model trained for a few epochs looks at the
// tumour: the share of each Grad-CAM map's mass inside the lesion mask, for the maps that have a
// place to point at (a finding the model says is present on an image that shows it, or
// "malignant"), against the share of the image the lesion covers (what a map spread evenly gives)
// and against the most a map of that grid could reach (the lesion mask itself, pooled to the
// feature map's grid and upsampled the same way). Measured at the last feature map (Grad-CAM as
// defined, 4×4 at 128 px) and at an earlier block (16×16), on the same trained model.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TaskName } from '@ovus/domain';
import { casesOfPart, makeHoldoutSplit, synthesizePhantom, validateDataset } from '@ovus/data';
import { initEngine, tf } from '@ovus/ml-engine';
import { loadModel } from '@ovus/ml-models';
import { prepareRunData, trainModel, type LoopConfig } from '@ovus/ml-training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradCam, massInside, massInsideCells, renderOverlay, type SaliencyMap } from '../src';

// 128 px: five halvings leave a 4×4 feature map (at 64 px, 2×2 maps only say which quadrant).
const SIZE = Number(process.env.LOC_SIZE ?? 128);
const CASES = Number(process.env.LOC_CASES ?? 128);
// 4 epochs: on this phantom, maps at the finer layers spread out of the tumour as training goes on
// (16×16 maps: 0.59 of their mass in the lesion after 3 epochs, 0.54 after 4, 0.44 after 6, 0.38
// after 8) while the classifier does not get better; see the README.
const EPOCHS = Number(process.env.LOC_EPOCHS ?? 4);
const BACKBONE = process.env.LOC_BACKBONE ?? 'resnet18';
const WIDTH = Number(process.env.LOC_WIDTH ?? 0.25);
/** The phantom's seed (another seed: other cases, to see how much the figures hold beyond seed 4). */
const SEED = Number(process.env.LOC_SEED ?? 4);
const TASKS = ['blood_flow', 'solid', 'malignancy'] as const;
/**
 * The finer layer measured besides the last feature map, where the target is asserted (ResNet18:
 * conv3's output, 16×16 at 128 px): Grad-CAM computed there instead (Selvaraju et al. show it at
 * other layers too), because a 4×4 map cannot be mostly inside a tumour of this size (ceiling).
 */
const FINER_LAYER = process.env.LOC_LAYER || 'conv3_block1_out';
/** More layers to measure on the same trained model, comma-separated (printed, not asserted): an experiment. */
const EXTRA_LAYERS = (process.env.LOC_EXTRA_LAYERS ?? '').split(',').filter((l) => l !== '');

/**
 * A map with a place to point at: a finding the model says is present, on an image that shows it
 * (blood flow is drawn on CEUS only; a solid part on both), or "malignant" (the tumour itself).
 * "Absent" and "benign" have no location of their own; neither has flow on BMUS.
 */
function hasLocation(map: SaliencyMap): boolean {
  if (map.task === 'malignancy') return map.className === 'Malignant';
  if (map.task === 'blood_flow') return map.className === 'Exist' && map.modality === 'ceus';
  return map.className === 'Exist';
}

/** The best a map on this grid can do: the lesion mask averaged over each cell, upsampled as Grad-CAM's maps are. */
function ceilingOf(inside: Uint8Array, grid: readonly [number, number]): number {
  const perfect = tf.tidy(() => {
    const mask = tf.tensor4d(Float32Array.from(inside), [1, SIZE, SIZE, 1]);
    const pooled = tf.avgPool(mask, [SIZE / grid[0], SIZE / grid[1]], [SIZE / grid[0], SIZE / grid[1]], 'valid') as tf.Tensor4D;
    return tf.image.resizeBilinear(pooled, [SIZE, SIZE], false, true).dataSync() as Float32Array;
  });
  return massInside(perfect, inside);
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const round = (v: number) => Math.round(v * 1000) / 1000;

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
    model: { backbone: BACKBONE, backboneOptions: { widthMultiplier: WIDTH, depthMultiplier: 0.5 }, tasks: [...TASKS], inputSize: SIZE, dropout: 0.2 },
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
  // About 25-45 s on 2 shared cores (training is most of it); the limit leaves room for a loaded machine.
  it('puts most of the mass of the maps of findings it sees in the phantom lesion at a 16×16 layer, and well above an even spread at the last one', async () => {
    const phantom = await synthesizePhantom({ outDir: join(dir, 'phantom'), seed: SEED, cases: CASES, imageSize: SIZE, lesionMasks: true });
    const validated = await validateDataset(phantom.manifestPath);
    if (!validated.ok) throw new Error('phantom did not validate');
    const { dataset } = validated;
    const split = makeHoldoutSplit(dataset.cases, { seed: 0, fractions: { train: 0.7, validation: 0.1, test: 0.2 } });
    const data = await prepareRunData({ rootDir: dataset.rootDir, cases: dataset.cases, split, tasks: [...TASKS], imageSize: SIZE });
    let bestDir: string | null = null;
    const started = Date.now();
    const outcome = await trainModel({ config: config(), data, workDir: join(dir, 'train'), callbacks: { onBestModel: (e) => void (bestDir = e.dir) } });
    const trainSeconds = (Date.now() - started) / 1000;
    const { model } = await loadModel(bestDir ?? join(dir, 'train', 'checkpoint'));
    const testCases = casesOfPart(split, dataset.cases, 'test');
    const lesionOf = new Map(phantom.cases.map((c) => [c.caseId, c.lesionPath as string]));
    const masks: Uint8Array[] = [];
    for (const record of testCases) {
      const mask = await sharp(join(phantom.outDir, lesionOf.get(record.caseId) as string)).extractChannel(0).raw().toBuffer();
      masks.push(Uint8Array.from(mask, (v) => (v > 127 ? 1 : 0)));
    }
    const lesionArea = mean(masks.map((m) => m.reduce((s, v) => s + v, 0) / m.length));

    const measure = async (layer: string | undefined) => {
      const all: number[] = [];
      const located: number[] = [];
      const locatedCells: number[] = [];
      const ceilings: number[] = [];
      const byKind = new Map<string, number[]>();
      let grid: [number, number] = [0, 0];
      for (const [i, record] of testCases.entries()) {
        const inside = masks[i];
        const bmus = tf.tensor4d(data.test.bmus[i], [1, SIZE, SIZE, 3]);
        const ceus = tf.tensor4d(data.test.ceus[i], [1, SIZE, SIZE, 3]);
        const maps = gradCam(model, bmus, ceus, { layer }).cases[0];
        tf.dispose([bmus, ceus]);
        grid = maps[0].grid;
        ceilings.push(ceilingOf(inside, grid));
        const dump = process.env.LOC_DUMP; // overlays of the first cases, to look at
        if (dump && i < 4) {
          await mkdir(dump, { recursive: true });
          for (const m of maps) await writeFile(join(dump, `${layer ?? 'last'}_${record.caseId}_${m.task}_${m.modality}.png`), await renderOverlay(data.test[m.modality][i] as Float32Array, SIZE, m.map, SIZE));
          await writeFile(join(dump, `${record.caseId}_mask.png`), await sharp(Buffer.from(inside.map((v) => v * 255)), { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toBuffer());
        }
        for (const map of maps) {
          const f = massInside(map.map, inside);
          if (!Number.isFinite(f)) continue; // no positive evidence anywhere
          all.push(f);
          const kind = `${map.task}/${map.modality}/${map.className}`;
          byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
          if (hasLocation(map)) {
            located.push(f);
            locatedCells.push(massInsideCells(map.cells, map.grid, inside, SIZE));
          }
        }
      }
      return {
        layer: layer ?? 'last feature map',
        grid: grid.join('×'),
        located: { maps: located.length, meanMassInLesion: round(mean(located)), median: round(median(located)), atGrid: round(mean(locatedCells)), mostlyInside: round(located.filter((f) => f > 0.5).length / located.length) },
        ceiling: round(mean(ceilings)),
        allMaps: { maps: all.length, meanMassInLesion: round(mean(all)) },
        byKind: Object.fromEntries([...byKind].sort().map(([k, v]) => [k, `${mean(v).toFixed(3)} (n=${v.length})`])),
      };
    };
    for (const extra of EXTRA_LAYERS) console.log(`saliency localisation (extra layer): ${JSON.stringify(await measure(extra))}`);
    const last = await measure(undefined);
    const finer = await measure(FINER_LAYER);
    const run = {
      backbone: BACKBONE, width: WIDTH, seed: SEED, size: SIZE, epochs: EPOCHS, testCases: testCases.length, lesionArea: round(lesionArea),
      testF1: Object.fromEntries(Object.entries(outcome.results.test).map(([t, s]) => [t as TaskName, round(s?.f1 ?? Number.NaN)])),
      trainSeconds, seconds: (Date.now() - started) / 1000,
    };
    console.log(`saliency localisation: ${JSON.stringify(run)}`);
    console.log(`saliency localisation (last feature map): ${JSON.stringify(last)}`);
    console.log(`saliency localisation (${FINER_LAYER}): ${JSON.stringify(finer)}`);
    // Measured (2-core VM, deterministic): lesion 0.171 of the image; maps with a place to point at:
    // 0.357 in the lesion at the last feature map (4×4, ceiling 0.577), 0.535 at conv3 (16×16,
    // ceiling 0.888). Phantom seeds 5, 6, 7 give 0.532, 0.504, 0.428 at conv3: "mostly inside"
    // holds here, narrowly, not on every phantom (README).
    expect(last.allMaps.meanMassInLesion).toBeGreaterThan(lesionArea);
    for (const m of [last, finer]) {
      expect(m.located.maps).toBeGreaterThan(10);
      expect(m.located.meanMassInLesion).toBeGreaterThan(2 * lesionArea);
      // The ceiling bounds any map of that grid up to the bilinear spread: a check of the yardstick.
      expect(m.located.meanMassInLesion).toBeLessThan(m.ceiling);
    }
    expect(finer.ceiling).toBeGreaterThan(last.ceiling);
    // Issue #12's target, at the finer layer: most of the mass of the maps that have a place to point at is in the lesion.
    expect(finer.located.meanMassInLesion).toBeGreaterThan(0.5);
    model.dispose();
  }, 600_000);
});
