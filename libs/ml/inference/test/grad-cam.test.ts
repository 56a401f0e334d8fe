// Grad-CAM on every backbone of the registry (small variants at 64 px), checked for shape,
// range and normalisation, that it follows the image, and against the closed form it must equal
// when global average pooling feeds a linear head (Zhou et al.'s CAM: w_k = W_kc / (h·w)).
import { BACKBONE_NAMES, buildMultiTaskModel, getBackbones } from '@ovus/ml-models';
import { initEngine, tf } from '@ovus/ml-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSaliencyLayer, familyOf, gradCam } from '../src';

const SIZE = 64;

beforeAll(async () => {
  const info = await initEngine({ backend: 'wasm' });
  if (info.backend !== 'wasm') throw new Error(`tests need wasm, got ${info.backend}`);
});

function pair(seed: number): { bmus: tf.Tensor4D; ceus: tf.Tensor4D } {
  return {
    bmus: tf.randomUniform([1, SIZE, SIZE, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    ceus: tf.randomUniform([1, SIZE, SIZE, 3], 0, 1, 'float32', seed + 100) as tf.Tensor4D,
  };
}

/**
 * tfjs' initialisers are not seeded: redraw every kernel from a seeded uniform of the same spread,
 * so the tests that depend on the weights give the same answer every time.
 */
function reseed(model: tf.LayersModel, seed: number): tf.LayersModel {
  model.weights.forEach((weight, i) => {
    if (!/kernel$/.test(weight.originalName)) return;
    const value = weight.read();
    const spread = tf.tidy(() => tf.moments(value).variance.sqrt().mul(Math.sqrt(3)).dataSync()[0]);
    weight.write(tf.randomUniform(value.shape, -spread, spread, 'float32', seed + i));
  });
  return model;
}

/** A bright disc at (x, y) (shares of the side) on speckled dark background: an image with a place to look at. */
function blobPair(x: number, y: number, seed: number): { bmus: tf.Tensor4D; ceus: tf.Tensor4D } {
  return tf.tidy(() => {
    const grid = tf.range(0, SIZE).div(SIZE);
    const dx = grid.sub(x).square().reshape([1, SIZE]);
    const dy = grid.sub(y).square().reshape([SIZE, 1]);
    const disc = tf.exp(tf.add(dx, dy).div(-0.01)).reshape([1, SIZE, SIZE, 1]).tile([1, 1, 1, 3]);
    const noise = (s: number) => tf.randomUniform([1, SIZE, SIZE, 3], 0, 0.2, 'float32', s);
    return { bmus: disc.add(noise(seed)).clipByValue(0, 1) as tf.Tensor4D, ceus: disc.mul(0.8).add(noise(seed + 1)).clipByValue(0, 1) as tf.Tensor4D };
  });
}

function expectNormalised(map: Float32Array, peak: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (const v of map) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  expect(min).toBeGreaterThanOrEqual(0);
  expect(max).toBeCloseTo(peak > 0 ? 1 : 0, 6);
}

const EXPECTED_LAYERS: Record<string, RegExp> = {
  'efficientnet-b0': /^top_activation$/,
  'mobilenet-v2': /^out_relu$/,
  'mobilenet-v3-small': /activation|Conv_1/,
  'mobilenet-v3-large': /activation|Conv_1/,
  vgg16: /^block5_conv\d$/,
  vgg19: /^block5_conv\d$/,
  resnet18: /^conv5_block2_out$|^conv5_block1_out$/,
  resnet34: /^conv5_block\d_out$/,
  resnet50: /^conv5_block\d_out$/,
  densenet121: /^relu$/,
  densenet169: /^relu$/,
  densenet201: /^relu$/,
  'vit-b16': /^Transformer\/encoderblock_\d+\/LayerNorm_0$/,
};

describe('Grad-CAM', () => {
  it.each(BACKBONE_NAMES)('%s: one normalised, non-negative map per image per head at the input size, from the last feature map', (backbone) => {
    const vit = backbone === 'vit-b16';
    const model = buildMultiTaskModel({
      backbone,
      backboneOptions: vit ? { widthMultiplier: 0.25, depthMultiplier: 0.1 } : { widthMultiplier: 0.25, depthMultiplier: 0.5 },
      tasks: ['echogenicity', 'malignancy'],
      inputSize: SIZE,
    });
    const { bmus, ceus } = pair(1);
    const before = tf.memory().numTensors;
    const result = gradCam(model, bmus, ceus);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.layers[0]).toMatch(EXPECTED_LAYERS[backbone]);
    expect(result.method).toMatch(vit ? /token grid/ : /^Grad-CAM at/);
    const maps = result.cases[0];
    expect(maps.map((m) => `${m.task}/${m.modality}`)).toEqual(['echogenicity/bmus', 'echogenicity/ceus', 'malignancy/bmus', 'malignancy/ceus']);
    for (const m of maps) {
      expect(m.map.length).toBe(SIZE * SIZE);
      expect(m.size).toBe(SIZE);
      expectNormalised(m.map, m.peak);
    }
    // Every backbone keeps some spatial resolution at 64 px (five halvings: 2×2; ViT's patches: 4×4).
    expect(maps[0].grid[0]).toBeGreaterThanOrEqual(2);
    tf.dispose([bmus, ceus]);
    model.dispose();
  });

  it('follows the image: other images give other maps, the same image the same map', () => {
    const model = reseed(buildMultiTaskModel({ backbone: 'resnet18', backboneOptions: { widthMultiplier: 0.25 }, tasks: ['malignancy'], inputSize: SIZE }), 7);
    const a = blobPair(0.25, 0.25, 1);
    const b = blobPair(0.75, 0.7, 2);
    const first = gradCam(model, a.bmus, a.ceus).cases[0];
    const again = gradCam(model, a.bmus, a.ceus).cases[0];
    const other = gradCam(model, b.bmus, b.ceus).cases[0];
    for (const m of [...first, ...other]) expect(m.peak).toBeGreaterThan(0);
    const diff = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => Math.max(s, Math.abs(v - y[i])), 0);
    expect(diff(first[0].map, again[0].map)).toBe(0);
    expect(diff(first[0].map, other[0].map)).toBeGreaterThan(0.05);
    expect(diff(first[1].map, other[1].map)).toBeGreaterThan(0.05);
    // BMUS and CEUS are different images through the same backbone: different maps.
    expect(diff(first[0].map, first[1].map)).toBeGreaterThan(0.05);
    model.dispose();
  });

  it('equals the closed-form CAM when average pooling feeds a linear head (both modalities of a shared backbone)', () => {
    const model = reseed(buildMultiTaskModel({ backbone: 'resnet18', backboneOptions: { widthMultiplier: 0.25 }, tasks: ['solid'], inputSize: SIZE, dropout: 0 }), 11);
    const { bmus, ceus } = blobPair(0.3, 0.6, 3);
    const maps = gradCam(model, bmus, ceus).cases[0];
    const explained = maps[0].classCode; // the predicted class, whose map has positive evidence
    const backbone = getBackbones(model)[0];
    const layer = findSaliencyLayer(backbone, familyOf('resnet18')).layer;
    const expected = tf.tidy(() => {
      const features = backbone.execute(tf.concat([bmus, ceus], 0), layer.output instanceof Array ? layer.output[0].name : layer.output.name) as tf.Tensor4D;
      const [, h, w, c] = features.shape;
      const kernel = model.getLayer('solid').getWeights()[0] as tf.Tensor2D; // [2c, 2]: BMUS features, then CEUS
      const column = tf.slice(kernel, [0, explained], [2 * c, 1]).reshape([2, 1, 1, c]);
      const cam = tf.relu(tf.sum(tf.mul(features, tf.div(column, h * w)), -1, true));
      const up = tf.image.resizeBilinear(cam as tf.Tensor4D, [SIZE, SIZE], false, true);
      const peak = tf.maximum(tf.max(up, [1, 2, 3], true), 1e-10);
      return { map: tf.div(up, peak).dataSync() as Float32Array, cells: tf.div(cam, peak).dataSync() as Float32Array, grid: [h, w] };
    });
    for (const [row, modality] of (['bmus', 'ceus'] as const).entries()) {
      const ours = maps.find((m) => m.modality === modality) as (typeof maps)[number];
      const reference = expected.map.subarray(row * SIZE * SIZE, (row + 1) * SIZE * SIZE);
      const worst = ours.map.reduce((s, v, i) => Math.max(s, Math.abs(v - reference[i])), 0);
      expect(worst).toBeLessThan(1e-4);
      // The map before upsampling, at the feature map's own grid, on the same scale.
      const [h, w] = expected.grid;
      expect(ours.grid).toEqual([h, w]);
      const cells = expected.cells.subarray(row * h * w, (row + 1) * h * w);
      expect(ours.cells.reduce((s, v, i) => Math.max(s, Math.abs(v - cells[i])), 0)).toBeLessThan(1e-4);
    }
    tf.dispose([bmus, ceus]);
    model.dispose();
  });

  it('takes the map at a chosen earlier layer (a finer grid), and names the block outputs for an unknown one', () => {
    const model = reseed(buildMultiTaskModel({ backbone: 'resnet18', backboneOptions: { widthMultiplier: 0.25 }, tasks: ['solid'], inputSize: SIZE }), 5);
    const { bmus, ceus } = blobPair(0.3, 0.6, 3);
    const last = gradCam(model, bmus, ceus);
    const finer = gradCam(model, bmus, ceus, { layer: 'conv4_block2_out' });
    expect(last.cases[0][0].grid).toEqual([2, 2]);
    expect(finer.layers).toEqual(['conv4_block2_out']);
    expect(finer.method).toMatch(/'conv4_block2_out' \(4×4×64\), chosen in place of the last feature map/);
    for (const m of finer.cases[0]) {
      expect(m.grid).toEqual([4, 4]);
      expect(Math.min(...m.map)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...m.map)).toBeLessThanOrEqual(1);
    }
    expect(() => gradCam(model, bmus, ceus, { layer: 'conv9_block1_out' })).toThrow(/has no feature-map layer 'conv9_block1_out'; its block outputs: .*conv4_block2_out/);
    tf.dispose([bmus, ceus]);
    model.dispose();
  });

  it("separate fusion: each modality's map comes from its own backbone; early fusion: one map for both images", () => {
    const { bmus, ceus } = pair(4);
    const separate = buildMultiTaskModel({ backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 }, tasks: ['septation'], inputSize: SIZE, fusion: 'separate' });
    const s = gradCam(separate, bmus, ceus);
    expect(s.layers).toHaveLength(2);
    expect(s.cases[0].map((m) => m.modality)).toEqual(['bmus', 'ceus']);
    const early = buildMultiTaskModel({ backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 }, tasks: ['septation'], inputSize: SIZE, fusion: 'early' });
    const e = gradCam(early, bmus, ceus);
    expect(e.method).toMatch(/one map for both images/);
    expect(e.cases[0][0].map).toEqual(e.cases[0][1].map);
    tf.dispose([bmus, ceus]);
    separate.dispose();
    early.dispose();
  });
});

describe('mass inside a mask', () => {
  it('at the map\'s own grid: each cell counts by the share of its pixels inside', async () => {
    const { massInside, massInsideCells } = await import('../src');
    // 4×4 mask: the top-left 2×2 block inside, and the left half of the bottom-right block.
    const mask = Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(massInsideCells(Float32Array.from([1, 0, 0, 1]), [2, 2], mask, 4)).toBeCloseTo(0.75, 10);
    expect(massInsideCells(Float32Array.from([0, 1, 1, 0]), [2, 2], mask, 4)).toBe(0);
    expect(massInsideCells(new Float32Array(4), [2, 2], mask, 4)).toBeNaN();
    // The same cells upsampled by nearest neighbour give the same share at pixel level.
    const blocks = Float32Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(massInside(blocks, mask)).toBeCloseTo(0.75, 10);
    expect(() => massInsideCells(new Float32Array(9), [3, 3], mask, 4)).toThrow(/does not split into 3×3 equal cells/);
  });
});

describe('heat-map overlay', () => {
  it('draws the map over the image at the display size: hot where the map is high, the grey image where it is 0', async () => {
    const { renderOverlay } = await import('../src');
    const sharp = (await import('sharp')).default;
    const side = 96;
    const image = new Float32Array(side * side * 3).fill(0.5);
    const mapSize = 8;
    const map = new Float32Array(mapSize * mapSize);
    for (let y = 0; y < mapSize / 2; y++) for (let x = 0; x < mapSize / 2; x++) map[y * mapSize + x] = 1; // top-left quarter hot
    const png = await renderOverlay(image, side, map, mapSize);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: side, height: side, channels: 3 });
    const at = (x: number, y: number) => Array.from(data.subarray((y * side + x) * 3, (y * side + x) * 3 + 3));
    const [r, g, b] = at(10, 10);
    expect(r).toBeGreaterThan(180); // red end of the scale
    expect(b).toBeLessThan(90);
    expect(g).toBeLessThan(120);
    for (const v of at(85, 85)) expect(Math.abs(v - 127.5)).toBeLessThanOrEqual(1); // untouched grey
    // No stripes: every row of the hot quarter is the same.
    expect(at(10, 11)).toEqual(at(10, 10));
  });
});
