// What `rerun <run>` trains: a run that did not finish continues as itself (from its last
// checkpoint); a finished run is repeated as a new run with the same stored config, dataset
// version and split (outside its sweep, so sweep summaries count each setting once).
import { randomUUID } from 'node:crypto';
import type { RunRecord, TrackingDatabase } from '@ovus/tracking';
import { CliError, EXIT_CODES } from '../cli/errors';

export interface RerunTarget {
  runId: string;
  sweepId: string | null;
  /** Set when a finished run was copied into a new one. */
  copiedFrom: RunRecord | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function rerunTarget(database: TrackingDatabase, runId: string): Promise<RerunTarget> {
  if (!UUID.test(runId)) throw new CliError(`'${runId}' is not a run id: run ids are UUIDs (e.g. as printed by train or shown by worker logs).`, EXIT_CODES.badConfig);
  const run = await database.runs.get(runId);
  if (!run) throw new CliError(`Run ${runId} does not exist in ${database.displayUrl}.`, EXIT_CODES.badConfig);
  if (run.status !== 'finished') return { runId: run.id, sweepId: run.sweepId, copiedFrom: null };
  const { run: copy } = await database.runs.create({
    id: randomUUID(),
    projectId: run.projectId,
    sweepId: null,
    groupKey: run.groupKey,
    name: `${run.name} (rerun of ${run.id.slice(0, 8)})`.slice(0, 200),
    status: 'queued',
    backbone: run.backbone,
    tasks: run.tasks,
    imageSize: run.imageSize,
    seed: run.seed,
    fold: run.fold,
    config: run.config,
    datasetVersionId: run.datasetVersionId,
    splitId: run.splitId,
  });
  await database.store.logBatch(copy.id, { tags: [{ key: 'rerun_of', value: run.id }] });
  return { runId: copy.id, sweepId: null, copiedFrom: run };
}
