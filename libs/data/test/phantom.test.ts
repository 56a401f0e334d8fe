// The synthetic phantom: paper counts, determinism, the import format, and label-driven pictures.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLINICAL_PARAMETERS, PAPER_CLASS_COUNTS, PAPER_LABEL_COUNTS, type ClinicalParameter } from '@ovus/domain';
import { formatIssues, phantomLabelCounts, sha256Hex, synthesizePhantom, validateDataset } from '../src/index';
import { deriveRng } from '../src/random';
import { renderScene } from '../src/phantom/render';
import { drawScene } from '../src/phantom/scene';
import { makeTempDir } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir('ovus-phantom-')));
afterEach(() => cleanup());

/** Paper counts as the statistics store them: string keys. */
function asStatistics(counts: Readonly<Record<number, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [String(k), v]));
}

async function fileHashes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(root.length)] = sha256Hex(await readFile(path));
  }
  return out;
}

describe('synthesizePhantom', () => {
  it("by default writes the paper's 257 cases with its exact label counts, and the manifest validates", async () => {
    const result = await synthesizePhantom({ outDir: dir, seed: 3, imageSize: 64 });
    expect(result.manifestPath).toBe(join(dir, 'manifest.csv'));
    const validation = await validateDataset(result.manifestPath);
    if (!validation.ok) throw new Error(formatIssues(validation.issues));
    const { dataset, warnings } = validation;
    expect(warnings).toEqual([]);
    expect(dataset.cases).toHaveLength(257);
    expect(dataset.statistics.classCounts).toEqual(PAPER_CLASS_COUNTS);
    for (const p of CLINICAL_PARAMETERS) {
      expect(dataset.statistics.parameters[p]).toEqual({
        benign: asStatistics(PAPER_LABEL_COUNTS[p].benign),
        malignant: asStatistics(PAPER_LABEL_COUNTS[p].malignant),
        missing: 0,
      });
    }
    // About a tenth of the patients have two cases (validation has checked they agree on malignancy).
    const casesPerPatient = new Map<string, number>();
    for (const c of dataset.cases) casesPerPatient.set(c.patientId, (casesPerPatient.get(c.patientId) ?? 0) + 1);
    const twoCase = [...casesPerPatient.values()].filter((n) => n === 2).length;
    expect(dataset.patientCount).toBe(result.patientCount);
    expect(twoCase / dataset.patientCount).toBeGreaterThan(0.07);
    expect(twoCase / dataset.patientCount).toBeLessThan(0.13);
    expect(Math.max(...casesPerPatient.values())).toBe(2);
    // Some cases are drawn faintly, most are not.
    const faint = result.cases.filter((c) => c.faint).length;
    expect(faint).toBeGreaterThan(10);
    expect(faint).toBeLessThan(45);
  });

  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    const options = { seed: 11, cases: 24, imageSize: 96 } as const;
    await synthesizePhantom({ ...options, outDir: join(dir, 'a') });
    await synthesizePhantom({ ...options, outDir: join(dir, 'b') });
    await synthesizePhantom({ ...options, seed: 12, outDir: join(dir, 'c') });
    const a = await fileHashes(join(dir, 'a'));
    expect(Object.keys(a)).toHaveLength(49); // manifest + 24 pairs
    expect(await fileHashes(join(dir, 'b'))).toEqual(a);
    const c = await fileHashes(join(dir, 'c'));
    expect(c['/images/C001_bmus.png']).not.toBe(a['/images/C001_bmus.png']);
  });

  it('scales the proportions for other case counts and can write JSONL', async () => {
    const result = await synthesizePhantom({ outDir: dir, seed: 4, cases: 40, imageSize: 48, format: 'jsonl' });
    expect(result.manifestPath.endsWith('manifest.jsonl')).toBe(true);
    const validation = await validateDataset(result.manifestPath);
    if (!validation.ok) throw new Error(formatIssues(validation.issues));
    const { statistics } = validation.dataset;
    expect(statistics.classCounts).toEqual({ benign: 27, malignant: 13 });
    const expected = phantomLabelCounts(40);
    for (const p of CLINICAL_PARAMETERS) {
      expect(statistics.parameters[p].benign).toEqual(asStatistics(expected[p].benign));
      expect(statistics.parameters[p].malignant).toEqual(asStatistics(expected[p].malignant));
    }
    // Largest remainder: 174/257 of 40 blood-flow-absent benign cases is 27 * 110/174 = 17.07 → 17.
    expect(expected.blood_flow.benign).toEqual({ 0: 17, 1: 10 });
    expect(phantomLabelCounts(257).echogenicity).toEqual(PAPER_LABEL_COUNTS.echogenicity);
  });

  it('rejects bad options with the option named', async () => {
    await expect(synthesizePhantom({ outDir: dir, seed: 1, cases: 0 })).rejects.toThrow(/cases:/);
    await expect(synthesizePhantom({ outDir: dir, seed: 1, imageSize: 8 })).rejects.toThrow(/imageSize:/);
  });
});

describe('phantom rendering follows the labels', () => {
  const base: Record<ClinicalParameter, number> = {
    blood_flow: 0,
    boundary: 0,
    echogenicity: 0,
    morphology: 0,
    papillary: 0,
    septation: 0,
    solid: 0,
  };
  const size = 96;

  /** Mean of a modality inside a disc at the tumour's centre, over scenes drawn with seeds 0..n-1. */
  function meanInside(labels: Record<ClinicalParameter, number>, modality: 'bmus' | 'ceus', radiusShare: number, seeds = 12): number {
    let total = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const rng = deriveRng(seed, 'scene');
      const scene = drawScene(labels, size, rng);
      const image = renderScene(scene, rng)[modality];
      const radius = Math.min(scene.a, scene.b) * radiusShare;
      let sum = 0;
      let count = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if ((x - scene.cx) ** 2 + (y - scene.cy) ** 2 > radius * radius) continue;
          sum += image[y * size + x];
          count++;
        }
      }
      total += sum / count;
    }
    return total / seeds;
  }

  it('makes the content brighter from anechoic to hyperechoic on BMUS', () => {
    const levels = [0, 1, 3, 4].map((echogenicity) => meanInside({ ...base, echogenicity }, 'bmus', 0.5));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(levels[3] - levels[0]).toBeGreaterThan(60);
  });

  it('enhances the tumour on CEUS only when there is blood flow', () => {
    const withFlow = meanInside({ ...base, blood_flow: 1, septation: 1 }, 'ceus', 1.1);
    const without = meanInside({ ...base, septation: 1 }, 'ceus', 1.1);
    expect(withFlow).toBeGreaterThan(without * 1.5);
  });

  it('draws bright septa, solid parts and papillae inside an anechoic cyst', () => {
    const plain = meanInside(base, 'bmus', 0.95);
    for (const parameter of ['septation', 'solid', 'papillary'] as const) {
      expect(meanInside({ ...base, [parameter]: 1 }, 'bmus', 0.95)).toBeGreaterThan(plain + 4);
    }
  });
});
