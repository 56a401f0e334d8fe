// Saved splits: which case is in which part. Stored once per hash, checked against the version's
// cases first (every id known, no case or patient in two parts).
import { canonicalJson, checkSplit, sha256Hex, type SplitAssignment } from '@ovus/data';
import type { PrismaClient } from '@ovus/db';
import { TrackingInputError } from '../errors';
import { prismaCode } from './prisma-errors';

interface StoredAssignment {
  train: string[];
  validation: string[];
  test: string[];
  fractions: SplitAssignment['fractions'];
}

export async function saveSplit(
  prisma: PrismaClient,
  datasetVersionId: string,
  split: SplitAssignment,
): Promise<{ id: string; created: boolean }> {
  const { hash, ...content } = split;
  const expected = sha256Hex(canonicalJson(content));
  if (hash !== expected) {
    throw new TrackingInputError(
      `saveSplit: the split says its hash is ${hash}, but its content hashes to ${expected}. Make splits with makeHoldoutSplit/makeKFoldSplit.`,
    );
  }
  const existing = await prisma.split.findUnique({ where: { hash }, select: { id: true, datasetVersionId: true } });
  if (existing) {
    if (existing.datasetVersionId !== datasetVersionId) {
      throw new TrackingInputError(`saveSplit: split ${hash.slice(0, 12)} is already saved for dataset version ${existing.datasetVersionId}`);
    }
    return { id: existing.id, created: false };
  }
  const cases = await prisma.case.findMany({ where: { datasetVersionId }, select: { caseId: true, patientId: true } });
  if (cases.length === 0) throw new TrackingInputError(`saveSplit: dataset version ${datasetVersionId} does not exist or has no cases`);
  const problems = checkSplit(split, cases);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    throw new TrackingInputError(
      `saveSplit: split ${hash.slice(0, 12)} does not fit dataset version ${datasetVersionId}: ${shown}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
  }
  const assignment: StoredAssignment = { ...split.parts, fractions: split.fractions };
  try {
    const row = await prisma.split.create({
      data: { datasetVersionId, hash, kind: split.kind, seed: split.seed, folds: split.folds, fold: split.fold, assignment: { ...assignment } },
    });
    return { id: row.id, created: true };
  } catch (error) {
    if (prismaCode(error) === 'P2002') {
      const winner = await prisma.split.findUniqueOrThrow({ where: { hash }, select: { id: true } });
      return { id: winner.id, created: false };
    }
    throw error;
  }
}

export async function getSplit(prisma: PrismaClient, splitId: string): Promise<(SplitAssignment & { id: string; datasetVersionId: string }) | null> {
  const row = await prisma.split.findUnique({ where: { id: splitId } });
  if (!row) return null;
  const stored = row.assignment as unknown as StoredAssignment;
  return {
    id: row.id,
    datasetVersionId: row.datasetVersionId,
    kind: row.kind as SplitAssignment['kind'],
    seed: row.seed,
    folds: row.folds,
    fold: row.fold,
    fractions: stored.fractions,
    parts: { train: stored.train, validation: stored.validation, test: stored.test },
    hash: row.hash,
  };
}
