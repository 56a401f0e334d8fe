// Checks that need more than one cell: duplicate case ids, the two images of a pair, the same
// image bytes under several cases, and a patient's cases that disagree on malignancy.
import { CLINICAL_PARAMETERS } from '@ovus/domain';
import type { ClinicalLabels } from '../types';
import type { ImageColumn } from '../manifest/columns';
import type { InspectedImage } from './inspect-image';
import { issue, rowList, type DatasetIssue } from './issues';

export interface CheckedRow {
  row: number;
  caseId?: string;
  patientId?: string;
  /** Labels that parsed; a parameter absent here had an invalid cell (already reported). */
  labels: Partial<ClinicalLabels>;
  malignancy?: 0 | 1;
  /** Image paths as written (backslashes turned into slashes), when the cell parsed. */
  paths: Partial<Record<ImageColumn, string>>;
  images: Partial<Record<ImageColumn, { written: string; resolved: string; image: InspectedImage | null }>>;
}

export function checkDuplicateCaseIds(rows: readonly CheckedRow[]): DatasetIssue[] {
  const firstRow = new Map<string, number>();
  const issues: DatasetIssue[] = [];
  for (const row of rows) {
    if (row.caseId === undefined) continue;
    const first = firstRow.get(row.caseId);
    if (first === undefined) {
      firstRow.set(row.caseId, row.row);
      continue;
    }
    issues.push(
      issue(
        'error',
        'duplicate-case-id',
        { row: row.row, column: 'case_id', value: row.caseId },
        `Case id '${row.caseId}' is used by row ${first} and row ${row.row}.`,
        'a unique case_id per row; remove the repeated row or give it its own id',
      ),
    );
  }
  return issues;
}

/**
 * BMUS and CEUS must be two different pictures. Different dimensions are allowed (each image is
 * resized to the model's input on its own) but reported as a warning: a machine normally exports
 * both modalities of one examination at the same size, so a mismatch often means a mixed-up pair.
 */
export function checkPairs(rows: readonly CheckedRow[]): DatasetIssue[] {
  const issues: DatasetIssue[] = [];
  for (const row of rows) {
    const bmus = row.images.bmus_path;
    const ceus = row.images.ceus_path;
    if (!bmus || !ceus) continue;
    if (bmus.resolved === ceus.resolved) {
      issues.push(
        issue(
          'error',
          'pair-same-image',
          { row: row.row, column: 'ceus_path', value: ceus.written },
          'bmus_path and ceus_path name the same file.',
          'the CEUS image of this case in ceus_path (a different file from the BMUS image)',
        ),
      );
      continue;
    }
    if (!bmus.image || !ceus.image) continue;
    if (bmus.image.sha256 === ceus.image.sha256) {
      issues.push(
        issue(
          'error',
          'pair-same-image',
          { row: row.row, column: 'ceus_path', value: ceus.written },
          `The BMUS image '${bmus.written}' and the CEUS image '${ceus.written}' are byte-identical copies.`,
          'the CEUS image of this case in ceus_path (one modality was probably exported twice)',
        ),
      );
    } else if (bmus.image.width !== ceus.image.width || bmus.image.height !== ceus.image.height) {
      issues.push(
        issue(
          'warning',
          'pair-size-mismatch',
          { row: row.row, column: 'ceus_path', value: ceus.written },
          `BMUS is ${bmus.image.width}x${bmus.image.height} but CEUS is ${ceus.image.width}x${ceus.image.height}.`,
          'both images of a pair from the same examination (each is resized on its own, so this is allowed)',
        ),
      );
    }
  }
  return issues;
}

function sameLabels(a: CheckedRow, b: CheckedRow): boolean {
  return a.malignancy === b.malignancy && CLINICAL_PARAMETERS.every((p) => a.labels[p] === b.labels[p]);
}

/**
 * The same image bytes under two cases. With different labels or different patients this is an
 * error: one of the two rows is mislabelled, or the copy would put one picture in both the training
 * and the test part. Under the same patient with the same labels it is a warning (a duplicated
 * row that weighs one case twice).
 */
export function checkDuplicateImages(rows: readonly CheckedRow[]): DatasetIssue[] {
  const uses = new Map<string, { row: CheckedRow; column: ImageColumn; written: string }[]>();
  for (const row of rows) {
    for (const column of ['bmus_path', 'ceus_path'] as const) {
      const entry = row.images[column];
      if (!entry?.image) continue;
      const list = uses.get(entry.image.sha256) ?? [];
      // The BMUS==CEUS case of a single row is reported by checkPairs.
      if (!list.some((u) => u.row === row)) list.push({ row, column, written: entry.written });
      uses.set(entry.image.sha256, list);
    }
  }
  const issues: DatasetIssue[] = [];
  for (const list of uses.values()) {
    if (list.length < 2) continue;
    const [first, ...others] = list;
    for (const other of others) {
      const samePatient = first.row.patientId === other.row.patientId;
      const consistent = samePatient && sameLabels(first.row, other.row);
      const where = `row ${first.row.row} (case '${first.row.caseId ?? '?'}', ${first.column})`;
      const difference = !samePatient
        ? `different patients ('${first.row.patientId ?? '?'}' and '${other.row.patientId ?? '?'}')`
        : 'different labels';
      issues.push(
        issue(
          consistent ? 'warning' : 'error',
          'duplicate-image',
          { row: other.row.row, column: other.column, value: other.written },
          consistent
            ? `The same image bytes are also used by ${where}, for the same patient with the same labels.`
            : `The same image bytes are also used by ${where}, with ${difference}.`,
          consistent
            ? 'one row per distinct case; drop the duplicate row unless the repetition is intended'
            : 'one picture belongs to one case: fix the path of the wrong row (or its labels/patient)',
        ),
      );
    }
  }
  return issues;
}

/**
 * Rule: all cases of one patient share one malignancy label (the patient-level split stratifies on
 * it, and a patient's tumour outcome comes from one pathology report). A disagreement is an error
 * on every row of that patient. Fix: correct the wrong row from the pathology report; if the
 * patient really had two tumours with different outcomes, keep only the case(s) of the tumour the
 * study is about.
 */
export function checkPatientMalignancy(rows: readonly CheckedRow[]): DatasetIssue[] {
  const byPatient = new Map<string, CheckedRow[]>();
  for (const row of rows) {
    if (row.patientId === undefined || row.malignancy === undefined) continue;
    byPatient.set(row.patientId, [...(byPatient.get(row.patientId) ?? []), row]);
  }
  const issues: DatasetIssue[] = [];
  for (const [patientId, patientRows] of byPatient) {
    const benign = patientRows.filter((r) => r.malignancy === 0).map((r) => r.row);
    const malignant = patientRows.filter((r) => r.malignancy === 1).map((r) => r.row);
    if (benign.length === 0 || malignant.length === 0) continue;
    for (const row of patientRows) {
      issues.push(
        issue(
          'error',
          'patient-malignancy-conflict',
          { row: row.row, column: 'malignancy', value: String(row.malignancy) },
          `Patient '${patientId}' has benign cases (${rowList(benign)}) and malignant cases (${rowList(malignant)}).`,
          'one malignancy label for all cases of a patient; correct the wrong row from the pathology report',
        ),
      );
    }
  }
  return issues;
}
