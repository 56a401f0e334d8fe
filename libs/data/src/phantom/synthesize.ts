// synthesizePhantom: writes a synthetic dataset in the import format (a manifest and PNG files)
// whose labels drive what is drawn. Same seed and options → byte-identical files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { CLINICAL_PARAMETERS, PAPER_CLASS_COUNTS, TASKS, type ClinicalParameter } from '@ovus/domain';
import { mapWithConcurrency } from '../concurrency';
import { MANIFEST_COLUMNS } from '../manifest/columns';
import { assertSeed, deriveRng, shuffled } from '../random';
import { drawPatients, drawPhantomLabels, type PhantomLabels } from './labels';
import { lesionMask, renderScene } from './render';
import { drawScene } from './scene';

export interface PhantomOptions {
  outDir: string;
  seed: number;
  /** Number of cases; default the paper's 174 benign + 83 malignant = 257. */
  cases?: number;
  /** Width and height of every image, default 256. */
  imageSize?: number;
  /** Manifest format, default 'csv'. */
  format?: 'csv' | 'jsonl';
  /**
   * Planted structure for testing analyses. `independent`: these parameters' codes have the same
   * distribution among benign and malignant cases (no association). `hidden`: these keep their
   * labels (and association) but are not drawn — every case is rendered as if it had the first
   * code — so nothing in the images shows them. Default: none (the paper's table, all drawn).
   */
  independent?: readonly ClinicalParameter[];
  hidden?: readonly ClinicalParameter[];
  /**
   * Also write each case's lesion mask (`images/<case>_lesion.png`: 255 inside the tumour, 0
   * outside), for checking where saliency maps look. Not part of the import format.
   */
  lesionMasks?: boolean;
}

export interface PhantomCase extends PhantomLabels {
  caseId: string;
  patientId: string;
  bmusPath: string;
  ceusPath: string;
  /** Drawn faintly (weak cues): about one case in ten. */
  faint: boolean;
  /** With options.lesionMasks: the mask's path, relative to outDir. */
  lesionPath?: string;
}

export interface PhantomResult {
  manifestPath: string;
  outDir: string;
  cases: PhantomCase[];
  patientCount: number;
}

const optionsSchema = z.object({
  outDir: z.string().min(1),
  seed: z.number().int(),
  cases: z.number().int().min(1).max(100_000).default(PAPER_CLASS_COUNTS.benign + PAPER_CLASS_COUNTS.malignant),
  imageSize: z.number().int().min(32).max(2048).default(256),
  format: z.enum(['csv', 'jsonl']).default('csv'),
  independent: z.array(z.enum(CLINICAL_PARAMETERS)).default([]),
  hidden: z.array(z.enum(CLINICAL_PARAMETERS)).default([]),
  lesionMasks: z.boolean().default(false),
});

function pad(n: number, total: number): string {
  return String(n).padStart(Math.max(3, String(total).length), '0');
}

async function encodePng(pixels: Uint8Array, size: number): Promise<Buffer> {
  // Fixed encoder settings: the bytes must not change between runs for the same seed.
  return sharp(pixels, { raw: { width: size, height: size, channels: 1 } })
    .png({ compressionLevel: 6, adaptiveFiltering: false, palette: false })
    .toBuffer();
}

function manifestText(cases: readonly PhantomCase[], format: 'csv' | 'jsonl'): string {
  const rowOf = (c: PhantomCase): Record<(typeof MANIFEST_COLUMNS)[number], string | number> => ({
    case_id: c.caseId,
    patient_id: c.patientId,
    bmus_path: c.bmusPath,
    ceus_path: c.ceusPath,
    ...c.labels,
    malignancy: c.malignancy,
  });
  if (format === 'jsonl') return cases.map((c) => JSON.stringify(rowOf(c))).join('\n') + '\n';
  // Every value is an id, a relative path without commas or quotes, or a digit: no CSV quoting is
  // needed, so the writer is a join rather than a dependency.
  const lines = [MANIFEST_COLUMNS.join(','), ...cases.map((c) => MANIFEST_COLUMNS.map((col) => rowOf(c)[col]).join(','))];
  return lines.join('\n') + '\n';
}

export async function synthesizePhantom(options: PhantomOptions): Promise<PhantomResult> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RangeError(`synthesizePhantom: invalid options — ${detail}.`);
  }
  const { seed, cases: caseCount, imageSize, format, independent, hidden } = parsed.data;
  assertSeed(seed, 'synthesizePhantom');
  const outDir = resolve(parsed.data.outDir);
  await mkdir(join(outDir, 'images'), { recursive: true });

  const labels = drawPhantomLabels(caseCount, deriveRng(seed, 'labels'), independent);
  const patients = shuffled(deriveRng(seed, 'patient-order'), drawPatients(labels, deriveRng(seed, 'patients')));
  const patientOf = new Array<string>(caseCount);
  patients.forEach((members, p) => {
    for (const index of members) patientOf[index] = `P${pad(p + 1, patients.length)}`;
  });
  // Case ids in random order so that neither id nor file name gives the class away.
  const order = shuffled(deriveRng(seed, 'case-order'), labels.map((_, i) => i));
  const phantomCases: PhantomCase[] = order.map((labelIndex, position) => {
    const caseId = `C${pad(position + 1, caseCount)}`;
    return {
      ...labels[labelIndex],
      caseId,
      patientId: patientOf[labelIndex],
      bmusPath: `images/${caseId}_bmus.png`,
      ceusPath: `images/${caseId}_ceus.png`,
      faint: false,
    };
  });

  await mapWithConcurrency(phantomCases, 4, async (c) => {
    const rng = deriveRng(seed, 'render', c.caseId);
    const drawn = { ...c.labels };
    for (const p of hidden) drawn[p] = TASKS[p].codes[0];
    const scene = drawScene(drawn, imageSize, rng);
    c.faint = scene.faint;
    const { bmus, ceus } = renderScene(scene, rng);
    const [bmusPng, ceusPng] = await Promise.all([encodePng(bmus, imageSize), encodePng(ceus, imageSize)]);
    await Promise.all([writeFile(join(outDir, c.bmusPath), bmusPng), writeFile(join(outDir, c.ceusPath), ceusPng)]);
    if (parsed.data.lesionMasks) {
      c.lesionPath = `images/${c.caseId}_lesion.png`;
      const mask = lesionMask(scene).map((v) => v * 255);
      await writeFile(join(outDir, c.lesionPath), await encodePng(mask, imageSize));
    }
  });

  const manifestPath = join(outDir, `manifest.${format}`);
  await writeFile(manifestPath, manifestText(phantomCases, format));
  return { manifestPath, outDir, cases: phantomCases, patientCount: patients.length };
}
