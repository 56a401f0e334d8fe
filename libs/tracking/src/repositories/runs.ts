// Runs: created by the trainer or the job queue, read by the dashboard.
import { randomUUID } from 'node:crypto';
import type { PrismaClient, Run } from '@ovus/db';
import { TrackingInputError, UnknownRunError } from '../errors';
import type { CreateRunInput, RunRecord, RunStatus } from '../types';
import { checkRunId } from '../validation';
import { prismaCode, toJsonInput } from './prisma-errors';

export function toRunRecord(run: Run): RunRecord {
  const ms = (d: Date | null) => (d === null ? null : d.getTime());
  return {
    id: run.id,
    projectId: run.projectId,
    sweepId: run.sweepId,
    groupKey: run.groupKey,
    name: run.name,
    status: run.status,
    backbone: run.backbone,
    tasks: run.tasks,
    imageSize: run.imageSize,
    seed: run.seed,
    fold: run.fold,
    config: run.config,
    gitCommit: run.gitCommit,
    datasetVersionId: run.datasetVersionId,
    splitId: run.splitId,
    tfjsBackend: run.tfjsBackend,
    host: run.host,
    hardware: run.hardware,
    attempt: run.attempt,
    createdAt: run.createdAt.getTime(),
    startedAt: ms(run.startedAt),
    endedAt: ms(run.endedAt),
    heartbeatAt: ms(run.heartbeatAt),
    durationMs: run.durationMs,
    errorText: run.errorText,
  };
}

/**
 * Creates a run. With a caller-given id that already exists, returns the stored run unchanged
 * (created: false), so a retried start does not make a second run.
 */
export async function createRun(prisma: PrismaClient, input: CreateRunInput): Promise<{ run: RunRecord; created: boolean }> {
  const id = input.id ?? randomUUID();
  checkRunId(id, 'createRun.id');
  try {
    const run = await prisma.run.create({
      data: {
        id,
        projectId: input.projectId,
        sweepId: input.sweepId ?? null,
        groupKey: input.groupKey ?? null,
        name: input.name,
        status: input.status ?? 'queued',
        backbone: input.backbone,
        tasks: [...input.tasks],
        imageSize: input.imageSize,
        seed: input.seed,
        fold: input.fold ?? null,
        config: toJsonInput(input.config),
        gitCommit: input.gitCommit ?? null,
        datasetVersionId: input.datasetVersionId ?? null,
        splitId: input.splitId ?? null,
        tfjsBackend: input.tfjsBackend ?? null,
        host: input.host ?? null,
        hardware: toJsonInput(input.hardware),
        attempt: input.attempt ?? 0,
      },
    });
    return { run: toRunRecord(run), created: true };
  } catch (error) {
    const code = prismaCode(error);
    if (code === 'P2002' && input.id !== undefined) {
      const existing = await prisma.run.findUnique({ where: { id } });
      if (existing) return { run: toRunRecord(existing), created: false };
    }
    if (code === 'P2003') {
      throw new TrackingInputError(
        `createRun: project ${input.projectId}, sweep ${input.sweepId ?? '-'}, dataset version ${input.datasetVersionId ?? '-'} ` +
          `or split ${input.splitId ?? '-'} does not exist. Create them first (ensureProject, createSweep, saveDatasetVersion, saveSplit).`,
        { cause: error },
      );
    }
    throw error;
  }
}

export async function getRun(prisma: PrismaClient, runId: string): Promise<RunRecord | null> {
  checkRunId(runId);
  const run = await prisma.run.findUnique({ where: { id: runId } });
  return run ? toRunRecord(run) : null;
}

export interface ListRunsFilter {
  projectId?: string;
  sweepId?: string;
  /** Runs of one group (those that differ only in seed/fold), usually with sweepId. */
  groupKey?: string;
  status?: RunStatus;
  /** At most 500; default 100. */
  limit?: number;
}

/** Newest first. */
export async function listRuns(prisma: PrismaClient, filter: ListRunsFilter = {}): Promise<RunRecord[]> {
  const limit = filter.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new TrackingInputError(`listRuns.limit: ${limit} must be an integer from 1 to 500`);
  }
  const runs = await prisma.run.findMany({
    where: { projectId: filter.projectId, sweepId: filter.sweepId, groupKey: filter.groupKey, status: filter.status },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
  });
  return runs.map(toRunRecord);
}

export async function requireRun(prisma: PrismaClient, runId: string): Promise<RunRecord> {
  const run = await getRun(prisma, runId);
  if (!run) throw new UnknownRunError(runId);
  return run;
}
