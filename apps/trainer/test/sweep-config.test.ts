import { describe, expect, it } from 'vitest';
import { ConfigError, expandSweep, parseOverrides, parseSource, type ExpandedSweep } from '../src/config';

const expand = (text: string, overrides: string[] = [], path = 'sweep.yaml'): ExpandedSweep =>
  expandSweep(parseSource(path, text), parseOverrides(overrides));
const problemsOf = (text: string, overrides: string[] = []): string => {
  try {
    expand(text, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the sweep to be refused');
};

const HEAD = 'name: s\nproject: p\nbase:\n  dataset: { name: d }\n  imageSize: 64\n';

describe('expandSweep', () => {
  it('expands the grid in a fixed order: keys as written, the last varying fastest', () => {
    const sweep = expand(`${HEAD}grid:\n  backbone: [vgg16, resnet18]\n  seed: [3, 1]\n`);
    expect(sweep.runs.map((r) => [r.index, r.config.backbone, r.config.seed])).toEqual([
      [0, 'vgg16', 3],
      [1, 'vgg16', 1],
      [2, 'resnet18', 3],
      [3, 'resnet18', 1],
    ]);
    expect(sweep.runs.map((r) => r.name)).toEqual(['vgg16-64px seed=3', 'vgg16-64px seed=1', 'resnet18-64px seed=3', 'resnet18-64px seed=1']);
    expect(sweep.runs[2].assignment).toEqual({ backbone: 'resnet18', seed: 3 });
  });

  it('puts variants outermost and lets grid values, then --set, win over base and variants', () => {
    const sweep = expand(
      `${HEAD}  epochs: 9\nvariants:\n  - { backbone: mobilenet-v3-small, backboneOptions: { widthMultiplier: 0.5 }, epochs: 7 }\n  - { backbone: resnet18 }\ngrid:\n  optimizer.learningRate: [0.01, 0.001]\n`,
      ['batchSize=4'],
    );
    expect(sweep.runs.map((r) => [r.config.backbone, r.config.backboneOptions.widthMultiplier, r.config.optimizer.learningRate, r.config.epochs, r.config.batchSize])).toEqual([
      ['mobilenet-v3-small', 0.5, 0.01, 7, 4],
      ['mobilenet-v3-small', 0.5, 0.001, 7, 4],
      ['resnet18', 1, 0.01, 9, 4],
      ['resnet18', 1, 0.001, 9, 4],
    ]);
    // Defaults of sibling fields survive a grid over one nested field.
    expect(sweep.runs[0].config.optimizer.name).toBe('adam');
    expect(sweep.runs[0].name).toBe('mobilenet-v3-small-x0.5-64px epochs=7 learningRate=0.01');
  });

  it('gives runs that differ only in seed or fold one group key, and others different ones', () => {
    const sweep = expand(
      `${HEAD}  backbone: resnet18\n  split: { kind: kfold, folds: 3 }\ngrid:\n  tasks: [all, malignancy]\n  split.fold: [0, 1, 2]\n  seed: [0, 1]\n`,
    );
    expect(sweep.runs).toHaveLength(12);
    const groups = new Map<string, number>();
    for (const run of sweep.runs) groups.set(run.groupKey, (groups.get(run.groupKey) ?? 0) + 1);
    expect([...groups.values()]).toEqual([6, 6]);
    expect(sweep.runs[0].groupKey).toMatch(/^resnet18-64px-[0-9a-f]{12}$/);
  });

  it('hashes the expanded runs: the same sweep gives the same hash, a changed value another', () => {
    const text = `${HEAD}  backbone: vgg16\ngrid:\n  seed: [0, 1]\n`;
    const json = JSON.stringify({ name: 's', project: 'p', base: { dataset: { name: 'd' }, imageSize: 64, backbone: 'vgg16' }, grid: { seed: [0, 1] } });
    expect(expand(text).runConfigsHash).toBe(expand(text).runConfigsHash);
    expect(expand(json, [], 'sweep.json').runConfigsHash).toBe(expand(text).runConfigsHash);
    expect(expand(text, ['epochs=3']).runConfigsHash).not.toBe(expand(text).runConfigsHash);
  });

  it('reports typos in base, variants and grid keys with their lines', () => {
    const message = problemsOf(
      `${HEAD}  epoch: 3\nvariants:\n  - { backbone: resnet19 }\ngrid:\n  seeds: [0, 1]\n  optimizer.learningrate: [0.1]\n`,
    );
    expect(message).toMatch(/^sweep\.yaml has 4 problems; nothing was started:/);
    expect(message).toContain("sweep.yaml:6: unknown key 'epoch' at base — did you mean 'epochs'?");
    expect(message).toContain("sweep.yaml:8: unknown backbone 'resnet19' at variants[0].backbone — did you mean 'resnet18'?");
    expect(message).toContain("sweep.yaml:10: unknown key 'seeds' at grid — did you mean 'seed'?");
    expect(message).toContain("sweep.yaml:11: unknown key 'learningrate' at grid.optimizer — did you mean 'learningRate'?");
  });

  it('reports bad grid values at their position', () => {
    const message = problemsOf(`${HEAD}  backbone: vgg16\ngrid:\n  tasks: [all, 'malignancy,septum']\n  epochs: [5, many]\n  batchSize: []\n`);
    expect(message).toMatch(/sweep\.yaml:8: grid\.tasks\[1\]: Unknown task 'septum'\. Valid tasks:/);
    expect(message).toMatch(/sweep\.yaml:9: grid\.epochs\[1\]: expected number, got the text 'many'/);
    expect(message).toMatch(/sweep\.yaml:10: grid\.batchSize has no values; give at least one, or remove the key/);
  });

  it('names the runs whose combination is impossible, and where the value came from', () => {
    const message = problemsOf('name: s\nproject: p\nbase:\n  dataset: { name: d }\n  imageSize: 100\ngrid:\n  backbone: [resnet18, vit-b16]\n  seed: [0, 1]\n');
    expect(message).toContain(
      'sweep.yaml:5: run 3 of 4 (backbone=vit-b16, seed=0); run 4 of 4 (backbone=vit-b16, seed=1): imageSize: 100 does not work with vit-b16',
    );
  });

  it('refuses a run that is missing a required field, once for all runs', () => {
    const message = problemsOf('name: s\nproject: p\ngrid:\n  backbone: [vgg16, vgg19, resnet18, resnet34]\n');
    expect(message).toMatch(/run 1 of 4 \(backbone=vgg16\); run 2 of 4 \(backbone=vgg19\) and 2 more runs: dataset is required/);
    expect(message.match(/dataset is required/g)).toHaveLength(1);
  });

  it('refuses repeated runs and sweeps larger than maxRuns', () => {
    expect(problemsOf(`${HEAD}  backbone: vgg16\ngrid:\n  seed: [0, 0]\n`)).toMatch(/run 2 of 2 \(seed=0\) has exactly the same configuration as run 1/);
    expect(problemsOf(`${HEAD}  backbone: vgg16\nmaxRuns: 3\ngrid:\n  seed: [0, 1, 2, 3]\n`)).toMatch(/expands to 4 runs, more than maxRuns \(3\)/);
  });

  it('refuses unknown top-level keys and missing name/project', () => {
    const message = problemsOf('name: s\nbase: { epochs: 0 }\ngrids: {}\n');
    expect(message).toContain("sweep.yaml:3: unknown key 'grids' at the top level — did you mean 'grid'?");
    expect(message).toContain('project is required');
    // The fragments are checked too, in the same report.
    expect(message).toContain('sweep.yaml:2: base.epochs: number 0 is too small');
  });

  it('checks --set overrides against the run config', () => {
    expect(() => expand(`${HEAD}  backbone: vgg16\n`, ['optimizer.lr=0.1'])).toThrow(/--set has a problem.*unknown key 'lr' at optimizer/s);
  });
});
