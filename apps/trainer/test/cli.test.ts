import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, mainFile, repoRoot } from './cli-harness';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ovus-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ovus sweep', () => {
  it('--dry-run lists the runs in order with their groups, and changes nothing', async () => {
    const { code, out, err } = await cli('sweep', join(repoRoot, 'configs/demo.yaml'), '--dry-run');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Sweep 'demo' in project 'ovus-demo': 6 runs in 2 groups \(run configs [0-9a-f]{12}\)$/);
    expect(lines[1]).toMatch(/^\s+#\s+run\s+group\s+tasks\s+epochs\s+batch$/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      '1 mobilenet-v3-small-x0.5-64px',
      '2 mobilenet-v3-small-x0.5-64px',
      '3 mobilenet-v3-small-x0.5-64px',
      '4 resnet18-x0.25-64px',
      '5 resnet18-x0.25-64px',
      '6 resnet18-x0.25-64px',
    ]);
  });

  it('--json prints the expanded runs, with --set applied to every run', async () => {
    const { code, out } = await cli('sweep', join(repoRoot, 'configs/paper-table3.yaml'), '--dry-run', '--json', '--set', 'epochs=3');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { runs: { config: { epochs: number; backbone: string } }[] };
    expect(parsed.runs).toHaveLength(15);
    expect(new Set(parsed.runs.map((r) => r.config.epochs))).toEqual(new Set([3]));
  });

  it('refuses a bad config before any work, with exit code 2 and every problem', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'name: x\nproject: p\nbase:\n  dataset: { name: d }\n  epoch: 3\ngrid:\n  backbone: [resnet18, densenet12]\n');
    const { code, out, err } = await cli('sweep', file, '--dry-run');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`${file}:5: unknown key 'epoch' at base — did you mean 'epochs'?`);
    expect(err).toContain(`${file}:7: unknown backbone 'densenet12' at grid.backbone[1] — did you mean 'densenet121'?`);
  });
});

describe('ovus train', () => {
  it('--dry-run prints the complete config with defaults filled in', async () => {
    const { code, out } = await cli('train', '--set', 'dataset.name=demo-phantom', '--set', 'backbone=mobilenet-v3-small', '--set', 'imageSize=64', '--dry-run');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ backbone: 'mobilenet-v3-small', imageSize: 64, epochs: 30, optimizer: { name: 'adam' } });
  });

  it('names the missing required fields', async () => {
    const { code, err } = await cli('train', '--dry-run');
    expect(code).toBe(2);
    expect(err).toContain('--set: dataset is required');
    expect(err).toContain('--set: backbone is required; valid backbones: efficientnet-b0, mobilenet-v2');
  });
});

describe('ovus (commands and options)', () => {
  it('suggests the command meant by a typo', async () => {
    const { code, err } = await cli('sweeep');
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command 'sweeep'[\s\S]*Did you mean sweep\?/);
  });

  it('refuses a bad option value and says why', async () => {
    const { code, err } = await cli('worker', '--concurrency', 'lots');
    expect(code).toBe(2);
    expect(err).toMatch(/'lots' is not a whole number of at least 1/);
  });

  it('refuses a manifest that does not exist, naming the path', async () => {
    const { code, err } = await cli('import', join(dir, 'missing.csv'));
    expect(code).toBe(2);
    expect(err).toContain(`The manifest ${join(dir, 'missing.csv')} does not exist`);
  });

  it('exits with the code through the real entry point (tsx)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', mainFile, 'sweep', join(dir, 'none.yaml'), '--dry-run'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot read it: the file does not exist');
  });
});
