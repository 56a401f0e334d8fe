// Sweeps: a re-submitted configuration is recognised by the sha256 of its canonical JSON (keys
// sorted), so submitting the same sweep twice does not run it twice.
import { canonicalJson, sha256Hex } from '@ovus/data';
import type { PrismaClient, Sweep, SweepStatus } from '@ovus/db';
import { TrackingInputError } from '../errors';
import { prismaCode, toJsonInput } from './prisma-errors';

/** The stored `sweep.config_hash`: of everything the sweep is stored with (not only its run configs). */
export function sweepConfigHash(config: unknown): string {
  return sha256Hex(canonicalJson(config));
}

/** Creates the sweep, or returns the project's existing sweep with the same config (created: false; its name is kept). */
export async function createSweep(
  prisma: PrismaClient,
  projectId: string,
  name: string,
  config: unknown,
): Promise<{ sweep: Sweep; created: boolean }> {
  if (!name || name.length > 200) throw new TrackingInputError(`createSweep: name '${name}' must have 1 to 200 characters`);
  if (config === undefined || config === null || typeof config !== 'object') {
    throw new TrackingInputError('createSweep: config must be an object (the sweep configuration as given)');
  }
  const configHash = sweepConfigHash(config);
  const where = { projectId_configHash: { projectId, configHash } };
  const existing = await prisma.sweep.findUnique({ where });
  if (existing) return { sweep: existing, created: false };
  try {
    return { sweep: await prisma.sweep.create({ data: { projectId, name, config: toJsonInput(config), configHash } }), created: true };
  } catch (error) {
    const code = prismaCode(error);
    if (code === 'P2002') return { sweep: await prisma.sweep.findUniqueOrThrow({ where }), created: false };
    if (code === 'P2003') throw new TrackingInputError(`createSweep: project ${projectId} does not exist; create it with ensureProject`);
    throw error;
  }
}

export async function getSweep(prisma: PrismaClient, sweepId: string): Promise<Sweep | null> {
  return prisma.sweep.findUnique({ where: { id: sweepId } });
}

/** finished, failed and cancelled stamp finished_at. */
export async function setSweepStatus(prisma: PrismaClient, sweepId: string, status: SweepStatus): Promise<Sweep> {
  const done = status === 'finished' || status === 'failed' || status === 'cancelled';
  try {
    return await prisma.sweep.update({ where: { id: sweepId }, data: { status, finishedAt: done ? new Date() : null } });
  } catch (error) {
    if (prismaCode(error) === 'P2025') throw new TrackingInputError(`setSweepStatus: sweep ${sweepId} does not exist`);
    throw error;
  }
}
