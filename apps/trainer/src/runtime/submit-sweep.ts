// Submitting a sweep: its datasets resolved first (a missing one stops everything), the sweep
// stored with its config, one queued run per expanded config with an id fixed by (sweep, index),
// and a job per run that is not finished. Submitting the same sweep again changes nothing.
import { createJobQueue } from '@ovus/jobs';
import type { TrackingDatabase } from '@ovus/tracking';
import type { ExpandedSweep } from '../config';
import { RunFactory, sweepRunId } from './create-runs';

export interface SubmittedSweep {
  sweepId: string;
  /** False when this exact sweep had been submitted before. */
  created: boolean;
  runIds: string[];
  /** Runs that got a job now. */
  queued: string[];
  /** Runs the queue already knew (queued, running or done). */
  alreadyQueued: string[];
  /** Runs that had already finished (not queued again). */
  finished: string[];
}

export async function submitSweep(database: TrackingDatabase, sweep: ExpandedSweep): Promise<SubmittedSweep> {
  const factory = new RunFactory(database);
  // Every dataset the runs name must exist before anything is stored.
  const versions = await Promise.all(sweep.runs.map((r) => factory.datasetVersion(r.config)));
  const project = await database.projects.ensure(sweep.project);
  const { sweep: stored, created } = await database.sweeps.create(project.id, sweep.name, {
    definition: sweep.definition,
    configHash: sweep.configHash,
    // 'latest' can mean another version after an import: the sweep is of the versions it ran on.
    datasetVersions: [...new Set(versions.map((v) => v.id))].sort(),
  });
  const runs = [];
  for (const spec of sweep.runs) {
    const { run } = await factory.createRun({
      id: sweepRunId(stored.id, spec.index),
      projectId: project.id,
      sweepId: stored.id,
      groupKey: spec.groupKey,
      name: spec.name,
      config: spec.config,
    });
    runs.push(run);
  }
  const finished = runs.filter((r) => r.status === 'finished').map((r) => r.id);
  const toQueue = runs.filter((r) => r.status !== 'finished').map((r) => r.id);
  const queue = await createJobQueue(database.url);
  try {
    const { queued, alreadyKnown } = toQueue.length > 0 ? await queue.enqueueRunJobs(stored.id, toQueue) : { queued: [], alreadyKnown: [] };
    return { sweepId: stored.id, created, runIds: runs.map((r) => r.id), queued, alreadyQueued: alreadyKnown, finished };
  } finally {
    await queue.stop();
  }
}
