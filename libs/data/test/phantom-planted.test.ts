// Planted structure for testing analyses: parameters made independent of malignancy, and
// parameters whose labels are kept but not drawn.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantomLabelCounts, synthesizePhantom } from '../src';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('phantom planted structure', () => {
  it('independent parameters have the same code proportions among benign and malignant cases', () => {
    const counts = phantomLabelCounts(257, ['septation']);
    const { benign, malignant } = counts.septation;
    // Pooled paper proportions 174:83 for "exist", apportioned to 174 benign and 83 malignant cases.
    const share = (c: Record<number, number>) => c[1] / (c[0] + c[1]);
    expect(Math.abs(share(benign) - share(malignant))).toBeLessThan(0.01);
    // Other parameters keep the paper's table.
    expect(counts.solid.malignant).toEqual({ 0: 42, 1: 41 });
  });

  it('a hidden parameter keeps its labels but leaves no trace in the images', async () => {
    const make = async (hidden: ('blood_flow' | 'solid')[]) => {
      const outDir = await mkdtemp(join(tmpdir(), 'ovus-planted-'));
      dirs.push(outDir);
      return synthesizePhantom({ outDir, seed: 3, cases: 16, imageSize: 32, hidden });
    };
    const plain = await make([]);
    const hidden = await make(['blood_flow']);
    expect(hidden.cases.map((c) => c.labels)).toEqual(plain.cases.map((c) => c.labels));
    const bytes = (result: typeof plain, path: string) => readFile(join(result.outDir, path));
    for (const c of plain.cases) {
      const same = (await bytes(plain, c.ceusPath)).equals(await bytes(hidden, c.ceusPath));
      // Cases with the first code are drawn exactly as before; the others lose their cue.
      expect(same, `${c.caseId} blood_flow=${c.labels.blood_flow}`).toBe(c.labels.blood_flow === 0);
    }
  });
});
