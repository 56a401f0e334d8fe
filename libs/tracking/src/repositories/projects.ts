import type { PrismaClient, Project } from '@ovus/db';
import { TrackingInputError } from '../errors';
import { prismaCode } from './prisma-errors';

/** The project with this name, created if missing. Safe under concurrent callers. */
export async function ensureProject(prisma: PrismaClient, name: string, description?: string): Promise<Project> {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    throw new TrackingInputError(`ensureProject: project name ${JSON.stringify(name)} must have 1 to 200 characters`);
  }
  try {
    return await prisma.project.upsert({ where: { name }, create: { name, description }, update: {} });
  } catch (error) {
    // Two callers creating the same project at once: the loser reads the winner's row.
    if (prismaCode(error) === 'P2002') return prisma.project.findUniqueOrThrow({ where: { name } });
    throw error;
  }
}
