import { readFileSync } from 'node:fs';
import { tf } from '@ovus/ml-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_NAMES, createBackbone, listBackbones } from '../src/index';
import { images, useWasm } from './engine';

beforeAll(useWasm);

function countParams(model: tf.LayersModel, which: 'all' | 'trainable'): number {
  const weights = which === 'all' ? model.weights : model.trainableWeights;
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

/**
 * The README's table of the 13 backbones: name → [reference count, our count], as printed. The
 * test pins our count exactly to what the README says, so neither can change without the other.
 */
function readmeCounts(): Map<string, [number, number]> {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## The 13 backbones'), readme.indexOf('## Metrics'));
  const count = (cell: string) => Number(/^[\d,]+/.exec(cell.trim())?.[0].replace(/,/g, '') ?? Number.NaN);
  const rows = new Map<string, [number, number]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1);
    if (cells.length === 3 && /^ [a-z]/.test(cells[0] ?? '') && /^\d/.test(cells[1].trim())) rows.set(cells[0].trim(), [count(cells[1]), count(cells[2])]);
  }
  return rows;
}

describe('backbone registry', () => {
  it('lists the paper’s 13 backbones with their families and reference counts', () => {
    const infos = listBackbones();
    expect(infos.map((i) => i.name)).toEqual([...BACKBONE_NAMES]);
    expect(infos).toHaveLength(13);
    expect(new Set(infos.map((i) => i.family))).toEqual(
      new Set(['efficientnet', 'mobilenet-v2', 'mobilenet-v3', 'vgg', 'resnet', 'densenet', 'vit']),
    );
    for (const info of infos) expect(info.reference.params).toBeGreaterThan(900_000);
    expect([...readmeCounts().keys()]).toEqual([...BACKBONE_NAMES]);
  });

  // Full width, 224x224x3, no top: the published parameter counts, within 1 %, and exactly the
  // counts the README prints. One model at a time,
  // disposed before the next, so at most one set of weights (ViT-B/16: 344 MB) is held.
  it.each(listBackbones().map((info) => [info.name, info] as const))(
    '%s has the reference architecture’s parameter count',
    (_name, info) => {
      const before = tf.memory().numTensors;
      const model = createBackbone(info.name);
      try {
        const measured = countParams(model, info.reference.counts);
        expect(Math.abs(measured / info.reference.params - 1)).toBeLessThan(0.01);
        // Exactly the counts the README prints, its reference column included.
        expect(readmeCounts().get(info.name), `README row for ${info.name}`).toEqual([info.reference.params, measured]);
        expect(model.inputs[0].shape).toEqual([null, 224, 224, 3]);
        expect(model.outputs[0].shape.length).toBe(2);
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('names an unknown backbone and lists the known ones', () => {
    expect(() => createBackbone('resnet101')).toThrow(/Unknown backbone 'resnet101'.*efficientnet-b0.*vit-b16/);
  });

  it('refuses input sizes the architecture cannot take, giving the minimum and step', () => {
    expect(() => createBackbone('resnet18', { inputSize: 100 })).toThrow(/at least 32 px in steps of 32.*96, 128/);
    expect(() => createBackbone('mobilenet-v3-small', { inputSize: 16 })).toThrow(/at least 32 px/);
    expect(() => createBackbone('vit-b16', { inputSize: 40 })).toThrow(/at least 32 px in steps of 16.*32, 48/);
    const vit = createBackbone('vit-b16', { inputSize: 48, widthMultiplier: 0.1, depthMultiplier: 0.1 });
    expect(vit.inputs[0].shape).toEqual([null, 48, 48, 3]);
    vit.dispose();
  });

  it('checks multipliers and pooling', () => {
    expect(() => createBackbone('vgg16', { inputSize: 32, widthMultiplier: 0 })).toThrow(/widthMultiplier must be in \(0, 4\]/);
    expect(() => createBackbone('vgg16', { inputSize: 32, pooling: 'token' })).toThrow(/does not support pooling 'token'; use one of avg, max/);
  });

  it('keeps Keras applications’ layer names, so converted weights load by name', () => {
    const expectations: Record<string, string[]> = {
      'efficientnet-b0': ['stem_conv', 'block1a_dwconv', 'block2a_expand_conv', 'block6d_se_reduce', 'block7a_project_bn', 'top_conv'],
      'mobilenet-v2': ['Conv1', 'bn_Conv1', 'expanded_conv_depthwise', 'block_16_project_BN', 'Conv_1'],
      'mobilenet-v3-large': ['Conv', 'Conv/BatchNorm', 'expanded_conv_14/squeeze_excite/Conv_1', 'Conv_1/BatchNorm'],
      vgg19: ['block1_conv1', 'block5_conv4'],
      resnet50: ['conv1_conv', 'conv2_block1_0_conv', 'conv5_block3_3_bn'],
      densenet121: ['conv1/conv', 'conv2_block6_2_conv', 'pool4_conv', 'conv5_block16_concat', 'bn'],
    };
    for (const [name, layers] of Object.entries(expectations)) {
      const model = createBackbone(name, { inputSize: 32, widthMultiplier: 0.25 });
      const names = new Set(model.layers.map((l) => l.name));
      for (const layer of layers) expect(names, `${name} should have layer ${layer}`).toContain(layer);
      model.dispose();
    }
  });

  it.each(listBackbones().map((info) => [info.name, info] as const))('%s builds small CPU variants for 3 and 6 channels', (name, info) => {
    for (const inputChannels of [3, 6]) {
      const model = createBackbone(name, { inputSize: 32, widthMultiplier: 0.25, depthMultiplier: 0.5, inputChannels });
      expect(model.countParams()).toBeLessThan(info.reference.params / 3);
      const features = tf.tidy(() => model.predict(images(2, 32, inputChannels)) as tf.Tensor);
      expect(features.shape).toEqual([2, model.outputs[0].shape[1]]);
      expect(features.dataSync().every(Number.isFinite)).toBe(true);
      features.dispose();
      model.dispose();
    }
  });

  it('max pooling and the ViT class token give feature vectors too', () => {
    for (const [name, pooling] of [['resnet18', 'max'], ['vit-b16', 'token'], ['vit-b16', 'max']] as const) {
      const model = createBackbone(name, { inputSize: 32, widthMultiplier: 0.25, depthMultiplier: 0.25, pooling });
      const out = tf.tidy(() => model.predict(images(3, 32)) as tf.Tensor);
      expect(out.shape).toEqual([3, model.outputs[0].shape[1]]);
      out.dispose();
      model.dispose();
    }
  });
});
