// The manifest's columns. Every one is required in the header (CSV) or on every line (JSONL);
// a clinical parameter's VALUE may be empty, but its column may not be absent, so that a typo in
// a header ("septum") is reported instead of silently turning a whole parameter into "missing".
import { CLINICAL_PARAMETERS } from '@ovus/domain';

export const IMAGE_COLUMNS = ['bmus_path', 'ceus_path'] as const;
export type ImageColumn = (typeof IMAGE_COLUMNS)[number];

export const MANIFEST_COLUMNS = [
  'case_id',
  'patient_id',
  ...IMAGE_COLUMNS,
  ...CLINICAL_PARAMETERS,
  'malignancy',
] as const;

export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];

export function isManifestColumn(name: string): name is ManifestColumn {
  return (MANIFEST_COLUMNS as readonly string[]).includes(name);
}
