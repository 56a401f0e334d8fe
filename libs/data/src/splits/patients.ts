// Splits work on patients, not cases: two images of one patient in different parts would let a
// model recognise the patient instead of the disease.
import type { CaseRecord } from '../types';

export interface PatientGroup {
  patientId: string;
  caseIds: string[];
  /** The patient's stratum: malignant if any of their cases is (validation makes them agree). */
  label: 0 | 1;
}

/** Patients sorted by id, each with case ids sorted: independent of the input order. */
export function groupByPatient(cases: readonly Pick<CaseRecord, 'caseId' | 'patientId' | 'malignancy'>[]): PatientGroup[] {
  const groups = new Map<string, PatientGroup>();
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.caseId)) throw new RangeError(`Case id '${c.caseId}' appears twice; case ids must be unique to split.`);
    seen.add(c.caseId);
    const group = groups.get(c.patientId) ?? { patientId: c.patientId, caseIds: [], label: 0 };
    group.caseIds.push(c.caseId);
    if (c.malignancy === 1) group.label = 1;
    groups.set(c.patientId, group);
  }
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()]
    .map((g) => ({ ...g, caseIds: [...g.caseIds].sort(byId) }))
    .sort((a, b) => byId(a.patientId, b.patientId));
}
