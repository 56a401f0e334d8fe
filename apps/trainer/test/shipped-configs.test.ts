// Every sweep config shipped in configs/ must load and expand; and each must say what it claims.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TASK_NAMES } from '@ovus/domain';
import { describe, expect, it } from 'vitest';
import { BACKBONE_NAMES, loadSweepConfig } from '../src/config';

const configsDir = fileURLToPath(new URL('../../../configs/', import.meta.url));
const load = (name: string) => loadSweepConfig(`${configsDir}${name}`);

describe('shipped configs', () => {
  it('all load and expand without problems', async () => {
    const files = (await readdir(configsDir)).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['demo.yaml', 'paper-table2.yaml', 'paper-table3.yaml']));
    for (const file of files) {
      const sweep = await load(file);
      expect(sweep.runs.length, file).toBeGreaterThan(0);
    }
  });

  it('paper-table2 trains each of the 13 backbones on all 8 tasks at 224 px over 5 folds', async () => {
    const sweep = await load('paper-table2.yaml');
    expect([...new Set(sweep.runs.map((r) => r.config.backbone))]).toEqual([...BACKBONE_NAMES]);
    expect(sweep.runs).toHaveLength(13 * 5);
    for (const run of sweep.runs) {
      expect(run.config.tasks).toEqual(TASK_NAMES);
      expect(run.config.imageSize).toBe(224);
      expect(run.config.split).toMatchObject({ kind: 'kfold', folds: 5 });
    }
    expect(new Set(sweep.runs.map((r) => r.groupKey)).size).toBe(13);
  });

  it('paper-table3 trains mobilenet-v3-large on the four selected parameters and malignancy', async () => {
    const sweep = await load('paper-table3.yaml');
    for (const run of sweep.runs) {
      expect(run.config.backbone).toBe('mobilenet-v3-large');
      expect(run.config.tasks).toEqual(['blood_flow', 'morphology', 'septation', 'solid', 'malignancy']);
    }
    expect(new Set(sweep.runs.map((r) => r.groupKey)).size).toBe(1);
  });

  it('demo is small: two narrow backbones, at most 64 px, three seeds, a few short epochs', async () => {
    const sweep = await load('demo.yaml');
    expect(sweep.runs.map((r) => [r.config.backbone, r.config.backboneOptions.widthMultiplier, r.config.seed])).toEqual([
      ['mobilenet-v3-small', 0.5, 0],
      ['mobilenet-v3-small', 0.5, 1],
      ['mobilenet-v3-small', 0.5, 2],
      ['resnet18', 0.25, 0],
      ['resnet18', 0.25, 1],
      ['resnet18', 0.25, 2],
    ]);
    for (const run of sweep.runs) {
      expect(run.config.imageSize).toBeLessThanOrEqual(64);
      // Measured: 8 epochs of 180 cases at 64 px make the demo about two minutes on 2 cores.
      expect(run.config.epochs * Math.ceil(180 / run.config.batchSize)).toBeLessThanOrEqual(8 * 12);
    }
  });
});
