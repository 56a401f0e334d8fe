// Stratified, seeded allocation of patients to named bins with target fractions. Within each
// stratum (benign, malignant patients) patients are shuffled, then each goes to the bin furthest
// below its target number of CASES, so that patients with two cases still give case counts close
// to the fractions. Hand-written: no split library works at the group level with strata in JS.
import { shuffled, type Rng } from '../random';
import type { PatientGroup } from './patients';

export function allocateStratified<B extends string>(
  patients: readonly PatientGroup[],
  bins: readonly { name: B; fraction: number }[],
  rng: Rng,
): Record<B, PatientGroup[]> {
  const out = Object.fromEntries(bins.map((b) => [b.name, [] as PatientGroup[]])) as Record<B, PatientGroup[]>;
  const active = bins.filter((b) => b.fraction > 0);
  for (const label of [0, 1] as const) {
    const stratum = shuffled(rng, patients.filter((p) => p.label === label));
    const total = stratum.reduce((n, p) => n + p.caseIds.length, 0);
    const assigned = new Map<B, number>(active.map((b) => [b.name, 0]));
    for (const patient of stratum) {
      let best = active[0];
      let bestDeficit = -Infinity;
      for (const bin of active) {
        const deficit = bin.fraction * total - (assigned.get(bin.name) ?? 0);
        if (deficit > bestDeficit + 1e-9) {
          best = bin;
          bestDeficit = deficit;
        }
      }
      out[best.name].push(patient);
      assigned.set(best.name, (assigned.get(best.name) ?? 0) + patient.caseIds.length);
    }
  }
  return out;
}
