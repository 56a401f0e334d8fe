// Split properties, checked over many seeds and random datasets.
import { describe, expect, it } from 'vitest';
import { CLINICAL_PARAMETERS } from '@ovus/domain';
import {
  casesOfPart,
  checkSplit,
  createRng,
  describeSplit,
  makeHoldoutSplit,
  makeKFoldSplit,
  shuffled,
  SPLIT_PARTS,
  type CaseRecord,
  type SplitAssignment,
} from '../src/index';
import { nextBool, nextInt } from '../src/random';

/** A random dataset: patients with 1–3 cases sharing one malignancy label. */
function randomDataset(seed: number, minPatients = 20): CaseRecord[] {
  const rng = createRng(seed);
  const patients = nextInt(rng, minPatients, Math.max(minPatients, 160));
  const malignantShare = nextInt(rng, 15, 50) / 100;
  const cases: CaseRecord[] = [];
  for (let p = 0; p < patients; p++) {
    const malignancy = nextBool(rng, malignantShare) ? 1 : 0;
    const count = nextBool(rng, 0.8) ? 1 : nextInt(rng, 2, 3);
    for (let k = 0; k < count; k++) {
      cases.push({
        caseId: `case-${seed}-${p}-${k}`,
        patientId: `patient-${p}`,
        bmusPath: 'b.png',
        ceusPath: 'c.png',
        bmusSha256: '',
        ceusSha256: '',
        labels: Object.fromEntries(CLINICAL_PARAMETERS.map((param) => [param, nextBool(rng, 0.1) ? null : nextInt(rng, 0, 1)])) as CaseRecord['labels'],
        malignancy,
      });
    }
  }
  // Every dataset has both classes among enough patients to fill each part.
  cases[0].malignancy = 1;
  return cases.map((c) => ({ ...c, malignancy: cases.find((d) => d.patientId === c.patientId)?.malignancy ?? 0 }));
}

function malignantShare(split: SplitAssignment, cases: CaseRecord[], part: 'train' | 'validation' | 'test'): number {
  const records = casesOfPart(split, cases, part);
  return records.filter((r) => r.malignancy === 1).length / records.length;
}

const FRACTIONS = { train: 0.7, validation: 0.15, test: 0.15 };

describe('makeHoldoutSplit', () => {
  it('never puts a patient in two parts, covers every case once, over 150 random datasets and seeds', () => {
    for (let trial = 0; trial < 150; trial++) {
      const cases = randomDataset(trial);
      const split = makeHoldoutSplit(cases, { seed: trial * 7919, fractions: FRACTIONS });
      expect(checkSplit(split, cases)).toEqual([]);
      expect(SPLIT_PARTS.reduce((n, part) => n + split.parts[part].length, 0)).toBe(cases.length);
    }
  });

  it('is deterministic, independent of input order, and differs between seeds', () => {
    const cases = randomDataset(1000);
    const a = makeHoldoutSplit(cases, { seed: 42, fractions: FRACTIONS });
    const b = makeHoldoutSplit(shuffled(createRng(3), cases), { seed: 42, fractions: FRACTIONS });
    const c = makeHoldoutSplit(cases, { seed: 43, fractions: FRACTIONS });
    expect(b).toEqual(a);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(c.parts.test).not.toEqual(a.parts.test);
    expect(c.hash).not.toBe(a.hash);
  });

  it('stratifies on malignancy and follows the fractions', () => {
    for (let trial = 0; trial < 20; trial++) {
      const cases = randomDataset(2000 + trial, 120);
      const split = makeHoldoutSplit(cases, { seed: trial, fractions: FRACTIONS });
      const overall = cases.filter((c) => c.malignancy === 1).length / cases.length;
      for (const part of SPLIT_PARTS) {
        expect(Math.abs(split.parts[part].length / cases.length - FRACTIONS[part])).toBeLessThan(0.05);
        expect(Math.abs(malignantShare(split, cases, part) - overall)).toBeLessThan(0.1);
      }
    }
  });

  it('allows an empty validation part and rejects bad fractions with a clear message', () => {
    const cases = randomDataset(5);
    const split = makeHoldoutSplit(cases, { seed: 1, fractions: { train: 0.8, validation: 0, test: 0.2 } });
    expect(split.parts.validation).toEqual([]);
    expect(() => makeHoldoutSplit(cases, { seed: 1, fractions: { train: 0.8, validation: 0.3, test: 0.2 } })).toThrow(
      /fractions: fractions must add up to 1/,
    );
    expect(() => makeHoldoutSplit(cases, { seed: 1.5, fractions: FRACTIONS })).toThrow(/seed/);
    expect(() => makeHoldoutSplit(cases.slice(0, 2), { seed: 1, fractions: FRACTIONS })).toThrow(/would be empty/);
  });
});

describe('makeKFoldSplit', () => {
  it('keeps patients whole, and its validation folds partition the non-test cases, over many seeds', () => {
    for (let trial = 0; trial < 40; trial++) {
      const cases = randomDataset(3000 + trial);
      const k = 2 + (trial % 4);
      const splits = Array.from({ length: k }, (_, fold) => makeKFoldSplit(cases, { seed: trial, k, fold, testFraction: 0.2 }));
      for (const split of splits) expect(checkSplit(split, cases)).toEqual([]);
      // The test part is the same for every fold; validation parts are disjoint and cover the rest.
      for (const split of splits) expect(split.parts.test).toEqual(splits[0].parts.test);
      const validation = splits.flatMap((s) => s.parts.validation).sort();
      const rest = cases.map((c) => c.caseId).filter((id) => !splits[0].parts.test.includes(id)).sort();
      expect(validation).toEqual(rest);
      expect(new Set(splits.map((s) => s.hash)).size).toBe(k);
    }
  });

  it('records k, the fold and nominal fractions; checks its options', () => {
    const cases = randomDataset(77);
    const split = makeKFoldSplit(cases, { seed: 1, k: 5, fold: 2, testFraction: 0.2 });
    expect(split).toMatchObject({ kind: 'kfold', seed: 1, folds: 5, fold: 2 });
    expect(split.fractions.validation).toBeCloseTo(0.16);
    expect(split.fractions.train).toBeCloseTo(0.64);
    expect(makeKFoldSplit(cases, { seed: 1, k: 5, fold: 2, testFraction: 0 }).parts.test).toEqual([]);
    expect(() => makeKFoldSplit(cases, { seed: 1, k: 5, fold: 5, testFraction: 0.2 })).toThrow(/fold must be between 0 and k-1/);
    expect(() => makeKFoldSplit(cases, { seed: 1, k: 1, fold: 0, testFraction: 0.2 })).toThrow(/k:/);
  });
});

describe('describeSplit and checkSplit', () => {
  it('counts cases, patients and every class per part', () => {
    const cases = randomDataset(9);
    const split = makeHoldoutSplit(cases, { seed: 9, fractions: FRACTIONS });
    const description = describeSplit(split, cases);
    for (const part of SPLIT_PARTS) {
      const records = casesOfPart(split, cases, part);
      expect(description[part].cases).toBe(records.length);
      expect(description[part].patients).toBe(new Set(records.map((r) => r.patientId)).size);
      expect(description[part].tasks.malignancy.counts).toEqual({
        '0': records.filter((r) => r.malignancy === 0).length,
        '1': records.filter((r) => r.malignancy === 1).length,
      });
      const septation = description[part].tasks.septation;
      expect(septation.counts['0'] + septation.counts['1'] + septation.missing).toBe(records.length);
      expect(septation.missing).toBe(records.filter((r) => r.labels.septation === null).length);
    }
  });

  it('finds what makes a split unusable with a dataset', () => {
    const cases = randomDataset(10);
    const split = makeHoldoutSplit(cases, { seed: 1, fractions: FRACTIONS });
    const moved = split.parts.test[0];
    const patient = cases.find((c) => c.caseId === moved)?.patientId;
    const broken: SplitAssignment = {
      ...split,
      parts: { ...split.parts, train: [...split.parts.train, moved, 'ghost'], validation: split.parts.validation.slice(1) },
    };
    const problems = checkSplit(broken, cases);
    expect(problems).toContain("case 'ghost' (train) is not in the dataset");
    expect(problems).toContain(`case '${moved}' is in both train and test`);
    expect(problems.some((p) => p.startsWith(`patient '${patient}' is in`))).toBe(true);
    expect(problems).toContain('1 case(s) of the dataset are in no part');
    expect(() => describeSplit(broken, cases)).toThrow(/names case 'ghost', which this dataset does not have/);
  });
});
