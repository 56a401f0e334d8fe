// The identity of a dataset version. Paths are left out on purpose: the same images with the same
// labels are the same data wherever the folder lives or however files are named, so moving a
// dataset does not create a new version. Each image enters through its own sha256.
import { CLINICAL_PARAMETERS } from '@ovus/domain';
import { canonicalJson, sha256Hex } from './hash';
import type { CaseRecord } from './types';

export function datasetContentHash(cases: readonly CaseRecord[]): string {
  const rows = [...cases]
    .sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
    .map((c) => ({
      caseId: c.caseId,
      patientId: c.patientId,
      bmusSha256: c.bmusSha256,
      ceusSha256: c.ceusSha256,
      labels: CLINICAL_PARAMETERS.map((p) => c.labels[p]),
      malignancy: c.malignancy,
    }));
  return sha256Hex(canonicalJson({ format: 'ovus-dataset-v1', parameters: CLINICAL_PARAMETERS, rows }));
}
