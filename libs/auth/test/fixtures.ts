// The smallest real targets a share link can point at: a project with a sweep and a run.
import type { PrismaClient } from '@ovus/db';

export async function createTargets(prisma: PrismaClient, name = 'p'): Promise<{ projectId: string; sweepId: string; runId: string; otherRunId: string }> {
  const project = await prisma.project.create({ data: { name } });
  const sweep = await prisma.sweep.create({ data: { projectId: project.id, name: 'backbones', config: {}, configHash: 'a'.repeat(64) } });
  const run = (n: string) =>
    prisma.run.create({ data: { projectId: project.id, sweepId: sweep.id, name: n, backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 0, config: {} } });
  const [a, b] = [await run('resnet18 seed=0'), await run('resnet18 seed=1')];
  return { projectId: project.id, sweepId: sweep.id, runId: a.id, otherRunId: b.id };
}
