// validateDataset: reads a manifest, checks every row and every image, and returns either the
// validated dataset or ALL problems at once (a person fixes a manifest in one pass, not twenty).
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, normalize, resolve } from 'node:path';
import { CLINICAL_PARAMETERS, type ClinicalParameter } from '@ovus/domain';
import { mapWithConcurrency } from '../concurrency';
import { datasetContentHash } from '../content-hash';
import { DEFAULT_MAX_PIXELS } from '../images/decode';
import { IMAGE_COLUMNS, MANIFEST_COLUMNS, type ManifestColumn } from '../manifest/columns';
import { readManifest, type ManifestRow } from '../manifest/read-manifest';
import { COLUMN_SCHEMAS, displayValue } from '../manifest/row-schema';
import { computeStatistics } from '../statistics';
import type { CaseRecord, ClinicalLabels, ValidatedDataset } from '../types';
import {
  checkDuplicateCaseIds,
  checkDuplicateImages,
  checkPairs,
  checkPatientMalignancy,
  type CheckedRow,
} from './cross-checks';
import { inspectImage, type ImageInspection, type ImageLimits } from './inspect-image';
import { issue, sortIssues, type DatasetIssue } from './issues';

export interface ValidationLimits extends ImageLimits {
  /** How many images are read and decoded at the same time. */
  concurrency: number;
}

export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = {
  maxPixels: DEFAULT_MAX_PIXELS,
  maxFileBytes: 256 * 1024 * 1024,
  concurrency: Math.max(2, Math.min(8, availableParallelism() * 2)),
};

export interface ValidateDatasetOptions {
  /** Dataset name; defaults to the manifest's file name, or its folder's for "manifest.*". */
  name?: string;
  /** Folder that relative image paths start from; defaults to the manifest's folder. */
  rootDir?: string;
  limits?: Partial<ValidationLimits>;
}

export type ValidationResult =
  | { ok: true; dataset: ValidatedDataset; warnings: DatasetIssue[] }
  | { ok: false; issues: DatasetIssue[] };

export async function validateDataset(manifestPath: string, options: ValidateDatasetOptions = {}): Promise<ValidationResult> {
  const limits = { ...DEFAULT_VALIDATION_LIMITS, ...options.limits };
  const absoluteManifest = resolve(manifestPath);
  const rootDir = resolve(options.rootDir ?? dirname(absoluteManifest));
  const manifest = await readManifest(absoluteManifest);
  const issues = [...manifest.issues];

  const checked = manifest.rows.map((row) => checkCells(row, issues));
  await inspectImages(checked, rootDir, limits, issues);
  issues.push(
    ...checkDuplicateCaseIds(checked),
    ...checkPairs(checked),
    ...checkDuplicateImages(checked),
    ...checkPatientMalignancy(checked),
  );

  const sorted = sortIssues(issues);
  if (sorted.some((i) => i.severity === 'error')) return { ok: false, issues: sorted };

  const cases = checked.map(toCaseRecord);
  return {
    ok: true,
    warnings: sorted,
    dataset: {
      name: options.name ?? defaultName(absoluteManifest),
      contentHash: datasetContentHash(cases),
      manifestPath: absoluteManifest,
      rootDir,
      cases,
      patientCount: new Set(cases.map((c) => c.patientId)).size,
      statistics: computeStatistics(cases),
    },
  };
}

function defaultName(manifestPath: string): string {
  const stem = basename(manifestPath, extname(manifestPath));
  return stem.toLowerCase() === 'manifest' ? basename(dirname(manifestPath)) : stem;
}

/** Parses each present cell on its own and records what parsed. */
function checkCells(row: ManifestRow, issues: DatasetIssue[]): CheckedRow {
  const parsed: Partial<Record<ManifestColumn, string | number | null>> = {};
  for (const column of MANIFEST_COLUMNS) {
    if (!(column in row.values)) continue; // the missing column is reported once, not per row
    const raw = row.values[column];
    const result = COLUMN_SCHEMAS[column].safeParse(raw);
    if (result.success) {
      parsed[column] = result.data;
    } else {
      const expected = result.error.issues.map((i) => i.message).join('; ');
      issues.push(
        issue(
          'error',
          'invalid-value',
          { row: row.row, column, value: displayValue(raw) },
          `Invalid ${column} '${displayValue(raw)}'.`,
          expected,
        ),
      );
    }
  }
  const labels: Partial<ClinicalLabels> = {};
  for (const p of CLINICAL_PARAMETERS) if (p in parsed) labels[p as ClinicalParameter] = parsed[p] as number | null;
  return {
    row: row.row,
    caseId: parsed.case_id as string | undefined,
    patientId: parsed.patient_id as string | undefined,
    labels,
    malignancy: parsed.malignancy as 0 | 1 | undefined,
    paths: { bmus_path: parsed.bmus_path as string | undefined, ceus_path: parsed.ceus_path as string | undefined },
    images: {},
  };
}

function resolveImagePath(rootDir: string, written: string): string {
  return isAbsolute(written) ? normalize(written) : join(rootDir, written);
}

/** Inspects every distinct file once, a few at a time, and attaches the results to the rows. */
async function inspectImages(
  checked: CheckedRow[],
  rootDir: string,
  limits: ValidationLimits,
  issues: DatasetIssue[],
): Promise<void> {
  const wanted: { row: CheckedRow; column: (typeof IMAGE_COLUMNS)[number]; written: string; resolved: string }[] = [];
  for (const row of checked) {
    for (const column of IMAGE_COLUMNS) {
      const written = row.paths[column];
      if (written !== undefined) wanted.push({ row, column, written, resolved: resolveImagePath(rootDir, written) });
    }
  }
  const distinct = [...new Set(wanted.map((w) => w.resolved))];
  const results = await mapWithConcurrency(distinct, limits.concurrency, (path) => inspectImage(path, limits));
  const byPath = new Map<string, ImageInspection>(distinct.map((path, i) => [path, results[i]]));
  for (const w of wanted) {
    const inspection = byPath.get(w.resolved) as ImageInspection;
    w.row.images[w.column] = { written: w.written, resolved: w.resolved, image: inspection.ok ? inspection.image : null };
    if (!inspection.ok) {
      issues.push(
        issue(
          'error',
          inspection.problem.code,
          { row: w.row.row, column: w.column, value: w.written },
          inspection.problem.message,
          inspection.problem.expected,
        ),
      );
    }
  }
}

/** Only called when there are no errors, so every field is present; the throw guards that. */
function toCaseRecord(row: CheckedRow): CaseRecord {
  const { caseId, patientId, malignancy } = row;
  const bmus = row.images.bmus_path?.image;
  const ceus = row.images.ceus_path?.image;
  const complete = CLINICAL_PARAMETERS.every((p) => p in row.labels);
  if (caseId === undefined || patientId === undefined || malignancy === undefined || !bmus || !ceus || !complete) {
    throw new Error(`Internal error: row ${row.row} passed validation with a field missing.`);
  }
  return {
    caseId,
    patientId,
    bmusPath: row.paths.bmus_path as string,
    ceusPath: row.paths.ceus_path as string,
    bmusSha256: bmus.sha256,
    ceusSha256: ceus.sha256,
    labels: row.labels as ClinicalLabels,
    malignancy,
  };
}
