// validateDataset: reads a manifest, checks every row and every image, and returns either the
// validated dataset or ALL problems at once (a person fixes a manifest in one pass, not twenty).
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
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
import { issue, rowList, sortIssues, type DatasetIssue } from './issues';

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
  /**
   * Accept image paths that leave the dataset folder ('../x.png', or an absolute path elsewhere).
   * Off by default: a dataset version should be one folder that can be moved or mounted whole, and
   * a stray '../' usually means a manifest copied from another layout.
   */
  allowOutsideRoot?: boolean;
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
  issues.push(...normalisedLabelWarnings(manifest.rows, checked));
  await inspectImages(checked, rootDir, limits, issues, options.allowOutsideRoot ?? false);
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

function isInside(rootDir: string, path: string): boolean {
  const rel = relative(rootDir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The label columns: what a person types by hand, and so what gets normalised. */
const LABEL_COLUMNS = [...CLINICAL_PARAMETERS, 'malignancy'] as const;

/** How a label is written when nothing needed normalising. */
function canonicalSpelling(column: (typeof LABEL_COLUMNS)[number], text: string, parsed: number | null): boolean {
  if (parsed === null) return true; // an unknown label: every missing spelling is as good as another
  if (column === 'malignancy') return ['0', '1', 'benign', 'malignant'].includes(text);
  return text === String(parsed);
}

/**
 * Labels that were read only after normalising them (case, surrounding spaces, '1.0' for 1) are
 * accepted, but reported once per column with the rows: a spreadsheet that writes 'Benign ' in
 * some rows often has other hand edits worth a look.
 */
function normalisedLabelWarnings(rows: readonly ManifestRow[], checked: readonly CheckedRow[]): DatasetIssue[] {
  const warnings: DatasetIssue[] = [];
  for (const column of LABEL_COLUMNS) {
    const hits: { row: number; written: string; read: number | null }[] = [];
    rows.forEach((row, index) => {
      const raw = row.values[column];
      if (typeof raw !== 'string') return;
      const read = column === 'malignancy' ? checked[index].malignancy : checked[index].labels[column];
      if (read === undefined) return; // invalid: already an error
      if (raw !== raw.trim() || !canonicalSpelling(column, raw.trim(), read)) hits.push({ row: row.row, written: raw, read });
    });
    if (hits.length === 0) continue;
    const example = hits[0];
    warnings.push(
      issue(
        'warning',
        'label-normalised',
        { row: example.row, column, value: example.written },
        `${hits.length === 1 ? 'This label was' : `${hits.length} ${column} labels were`} normalised (case, surrounding spaces or number format) on ${rowList(hits.map((h) => h.row))}: '${example.written}' was read as ${example.read}.`,
        `the plain code (${column === 'malignancy' ? '0/1 or benign/malignant' : 'e.g. 1'}); the labels were accepted as read`,
      ),
    );
  }
  return warnings;
}

/** Inspects every distinct file once, a few at a time, and attaches the results to the rows. */
async function inspectImages(
  checked: CheckedRow[],
  rootDir: string,
  limits: ValidationLimits,
  issues: DatasetIssue[],
  allowOutsideRoot: boolean,
): Promise<void> {
  const wanted: { row: CheckedRow; column: (typeof IMAGE_COLUMNS)[number]; written: string; resolved: string }[] = [];
  for (const row of checked) {
    for (const column of IMAGE_COLUMNS) {
      const written = row.paths[column];
      if (written === undefined) continue;
      const resolved = resolveImagePath(rootDir, written);
      if (!allowOutsideRoot && !isInside(rootDir, resolved)) {
        issues.push(
          issue(
            'error',
            'image-outside-root',
            { row: row.row, column, value: written },
            `The image path '${written}' leads outside the dataset folder ${rootDir} (to ${resolved}).`,
            'a path inside the dataset folder; if the images are kept elsewhere on purpose, import with --allow-outside-root',
          ),
        );
        continue;
      }
      wanted.push({ row, column, written, resolved });
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
