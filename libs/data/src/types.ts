// The contract between the importer (this library) and storage (libs/tracking): what a validated
// dataset version is. Storage imports these types; this library imports no storage.
import type { ClinicalParameter } from '@ovus/domain';

/** Labels of one case in the paper's codes; a parameter may be missing (null). */
export type ClinicalLabels = Record<ClinicalParameter, number | null>;

export interface CaseRecord {
  caseId: string;
  patientId: string;
  /** Image paths relative to the dataset root (the manifest's folder unless given). */
  bmusPath: string;
  ceusPath: string;
  bmusSha256: string;
  ceusSha256: string;
  labels: ClinicalLabels;
  /** 0 = benign, 1 = malignant. */
  malignancy: 0 | 1;
}

/** Per parameter: counts of each code among benign and malignant cases (the paper's table). */
export type DatasetStatistics = {
  classCounts: { benign: number; malignant: number };
  parameters: Record<
    ClinicalParameter,
    { benign: Record<string, number>; malignant: Record<string, number>; missing: number }
  >;
};

export interface ValidatedDataset {
  name: string;
  /** sha256 over the canonical manifest rows and every image's bytes. */
  contentHash: string;
  manifestPath: string;
  rootDir: string;
  cases: CaseRecord[];
  patientCount: number;
  statistics: DatasetStatistics;
}

export type SplitPart = 'train' | 'validation' | 'test';

/** A saved split: which case ids are in which part. No patient is in two parts. */
export interface SplitAssignment {
  kind: 'holdout' | 'kfold';
  seed: number;
  /** k for k-fold; null for a holdout split. */
  folds: number | null;
  /** Which fold is the validation part, for k-fold. */
  fold: number | null;
  fractions: { train: number; validation: number; test: number };
  parts: Record<SplitPart, string[]>;
  /** sha256 of the canonical JSON of the above: the same split is stored once. */
  hash: string;
}
