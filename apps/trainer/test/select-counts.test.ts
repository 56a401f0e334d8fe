// ovus select --from-counts: the association analysis on the paper's published table.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot } from './cli-harness';

const paperCounts = join(repoRoot, 'configs/paper-dataset-counts.csv');

describe('select --from-counts', () => {
  it("prints the ranking of the paper's table and selects the paper's four parameters", async () => {
    const { code, out } = await cli('select', '--from-counts', paperCounts);
    expect(code).toBe(0);
    const ranked = out.split('\n').filter((l) => /^\s+\d\s{2,}/.test(l)).map((l) => l.trim().split(/\s{2,}/).slice(0, 3));
    expect(ranked).toEqual([
      ['1', 'Blood flow signal', 'yes'],
      ['2', 'Morphology', 'yes'],
      ['3', 'Solid component', 'yes'],
      ['4', 'Septation', 'yes'],
      ['5', 'Internal echogenicity', 'no'],
      ['6', 'Boundary', 'no'],
      ['7', 'Papillary projection', 'no'],
    ]);
    expect(out).toMatch(/Blood flow signal 0\.526 > Internal echogenicity 0\.466 > Morphology 0\.464 > Boundary 0\.350 > Solid component 0\.314 > Septation 0\.263 > Papillary projection 0\.067/);
    expect(out).toMatch(/Paper's Table 3 selection: .* — the same set\./);
    expect(out).toMatch(/Yates' continuity correction on 2 × 2 tables/);
  });

  it('thresholds are options; the rule printed follows them', async () => {
    const { code, out } = await cli('select', '--from-counts', paperCounts, '--threshold', 'minClassShare=0.05', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out) as { selected: string[]; thresholds: { minClassShare: number } };
    expect(result.thresholds.minClassShare).toBe(0.05);
    expect(result.selected).toEqual(['blood_flow', 'echogenicity', 'morphology', 'boundary', 'solid', 'septation']);
  });

  it('a malformed counts file: exit 2, the line and column named, nothing else printed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ovus-counts-'));
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'parameter,benign_0,benign_1,benign_3,benign_4,malignant_0,malignant_1,malignant_3,malignant_4\nMorphology,152,-1,-,-,36,47,-,-\n');
    const { code, out, err } = await cli('select', '--from-counts', file);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/line 2, column 'benign_1': '-1' is not a count/);
    const unknown = await cli('select', '--from-counts', paperCounts, '--threshold', 'alpah=0.1');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown threshold 'alpah'/);
    const missing = await cli('select', '--from-counts', join(dir, 'nope.csv'));
    expect(missing.err).toMatch(/nope\.csv: [\s\S]*cannot be read \(ENOENT\)/);
  });
});
