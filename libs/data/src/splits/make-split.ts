// Patient-level, malignancy-stratified, seeded splits: a holdout (train/validation/test) and
// k-fold cross-validation with a fixed test part. Same cases + same options → same split, whatever
// the order of the input cases.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../hash';
import { assertSeed, deriveRng } from '../random';
import type { CaseRecord, SplitAssignment, SplitPart } from '../types';
import { allocateStratified } from './allocate';
import { groupByPatient, type PatientGroup } from './patients';

type SplitCase = Pick<CaseRecord, 'caseId' | 'patientId' | 'malignancy'>;

const fraction = z.number().min(0).max(1);
const holdoutOptionsSchema = z
  .object({
    seed: z.number().int(),
    fractions: z.object({ train: fraction.refine((v) => v > 0, 'train must be above 0'), validation: fraction, test: fraction }),
  })
  .refine((o) => Math.abs(o.fractions.train + o.fractions.validation + o.fractions.test - 1) < 1e-6, {
    message: 'fractions must add up to 1',
    path: ['fractions'],
  });

const kfoldOptionsSchema = z
  .object({
    seed: z.number().int(),
    k: z.number().int().min(2),
    fold: z.number().int().min(0),
    testFraction: z.number().min(0).lt(1),
  })
  .refine((o) => o.fold < o.k, { message: 'fold must be between 0 and k-1', path: ['fold'] });

export interface HoldoutOptions {
  seed: number;
  fractions: { train: number; validation: number; test: number };
}

export interface KFoldOptions {
  seed: number;
  k: number;
  /** 0-based index of the fold used as the validation part. */
  fold: number;
  /** Part of the patients set aside as a test part shared by all folds (0 for none). */
  testFraction: number;
}

function parseOptions<T>(schema: z.ZodType<T>, options: unknown, where: string): T {
  const result = schema.safeParse(options);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new RangeError(`${where}: invalid options — ${detail}.`);
  }
  return result.data;
}

function caseIdsOf(patients: readonly PatientGroup[]): string[] {
  return patients.flatMap((p) => p.caseIds).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function finish(split: Omit<SplitAssignment, 'hash'>): SplitAssignment {
  return { ...split, hash: sha256Hex(canonicalJson(split)) };
}

function requireFilled(parts: Record<SplitPart, string[]>, fractions: Record<SplitPart, number>, patientCount: number, where: string): void {
  for (const part of ['train', 'validation', 'test'] as const) {
    if (fractions[part] > 0 && parts[part].length === 0) {
      throw new RangeError(
        `${where}: the ${part} part would be empty with ${patientCount} patients; use more data or larger fractions.`,
      );
    }
  }
}

export function makeHoldoutSplit(cases: readonly SplitCase[], options: HoldoutOptions): SplitAssignment {
  const { seed, fractions } = parseOptions(holdoutOptionsSchema, options, 'makeHoldoutSplit');
  assertSeed(seed, 'makeHoldoutSplit');
  const patients = groupByPatient(cases);
  const bins = (['train', 'validation', 'test'] as const).map((name) => ({ name, fraction: fractions[name] }));
  const allocated = allocateStratified(patients, bins, deriveRng(seed, 'holdout'));
  const parts = { train: caseIdsOf(allocated.train), validation: caseIdsOf(allocated.validation), test: caseIdsOf(allocated.test) };
  requireFilled(parts, fractions, patients.length, 'makeHoldoutSplit');
  return finish({ kind: 'holdout', seed, folds: null, fold: null, fractions: { ...fractions }, parts });
}

export function makeKFoldSplit(cases: readonly SplitCase[], options: KFoldOptions): SplitAssignment {
  const { seed, k, fold, testFraction } = parseOptions(kfoldOptionsSchema, options, 'makeKFoldSplit');
  assertSeed(seed, 'makeKFoldSplit');
  const patients = groupByPatient(cases);
  if (patients.length < k + (testFraction > 0 ? 1 : 0)) {
    throw new RangeError(`makeKFoldSplit: ${patients.length} patients are too few for ${k} folds${testFraction > 0 ? ' and a test part' : ''}.`);
  }
  // The test part depends on the seed only (not on k or fold), so every fold is scored on it.
  const outer = allocateStratified(
    patients,
    [
      { name: 'rest', fraction: 1 - testFraction },
      { name: 'test', fraction: testFraction },
    ],
    deriveRng(seed, 'kfold-test', testFraction),
  );
  const foldBins = Array.from({ length: k }, (_, i) => ({ name: `fold${i}`, fraction: 1 / k }));
  const folds = allocateStratified(outer.rest, foldBins, deriveRng(seed, 'kfold-folds', k, testFraction));
  const validation = folds[`fold${fold}`];
  const train = foldBins.filter((_, i) => i !== fold).flatMap((b) => folds[b.name]);
  const foldShare = (1 - testFraction) / k;
  const fractions = { train: foldShare * (k - 1), validation: foldShare, test: testFraction };
  const parts = { train: caseIdsOf(train), validation: caseIdsOf(validation), test: caseIdsOf(outer.test) };
  requireFilled(parts, fractions, patients.length, 'makeKFoldSplit');
  return finish({ kind: 'kfold', seed, folds: k, fold, fractions, parts });
}
