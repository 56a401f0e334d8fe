// Turning run configs into stored runs: the dataset version they name (refused, listing the known
// datasets, when it does not exist), their patient-level split (saved once per content), and the
// run row itself, queued.
import { createHash, randomUUID } from 'node:crypto';
import { makeHoldoutSplit, makeKFoldSplit, type CaseRecord, type SplitAssignment } from '@ovus/data';
import {
  DatasetNotFoundError,
  type DatasetVersionRecord,
  type RunRecord,
  type TrackingDatabase,
} from '@ovus/tracking';
import { canonicalJson } from '@ovus/data';
import { CliError, EXIT_CODES } from '../cli/errors';
import type { TrainConfig } from '../config';

/** Looks datasets, their cases and splits up once per submission. */
export class RunFactory {
  private readonly versions = new Map<string, Promise<DatasetVersionRecord>>();
  private readonly cases = new Map<string, Promise<CaseRecord[]>>();
  private readonly splits = new Map<string, Promise<string>>();

  constructor(private readonly database: Pick<TrackingDatabase, 'datasets' | 'splits' | 'runs'>) {}

  /** The dataset version a config names, or a bad-input error (exit code 2) listing the known datasets. */
  datasetVersion(config: TrainConfig): Promise<DatasetVersionRecord> {
    const { name, version } = config.dataset;
    const key = `${name}@${version}`;
    let found = this.versions.get(key);
    if (!found) {
      found = this.database.datasets.find(name, version).catch((error: unknown) => {
        if (error instanceof DatasetNotFoundError) throw new CliError(`dataset.name: ${error.message}`, EXIT_CODES.badConfig);
        throw error;
      });
      this.versions.set(key, found);
    }
    return found;
  }

  /** The saved split (id) that the config's split settings make on this version's cases. */
  async splitId(version: DatasetVersionRecord, config: TrainConfig, runLabel: string): Promise<string> {
    const key = `${version.id}:${canonicalJson(config.split)}`;
    let id = this.splits.get(key);
    if (!id) {
      id = (async () => {
        let cases = this.cases.get(version.id);
        if (!cases) {
          cases = this.database.datasets.cases(version.id);
          this.cases.set(version.id, cases);
        }
        const split = makeSplit(await cases, config, version, runLabel);
        return (await this.database.splits.save(version.id, split)).id;
      })();
      this.splits.set(key, id);
    }
    return id;
  }

  async createRun(input: {
    id?: string;
    projectId: string;
    sweepId: string | null;
    groupKey: string;
    name: string;
    config: TrainConfig;
  }): Promise<{ run: RunRecord; created: boolean }> {
    const { config } = input;
    const version = await this.datasetVersion(config);
    const splitId = await this.splitId(version, config, input.name);
    return this.database.runs.create({
      id: input.id ?? randomUUID(),
      projectId: input.projectId,
      sweepId: input.sweepId,
      groupKey: input.groupKey,
      name: input.name,
      status: 'queued',
      backbone: config.backbone,
      tasks: config.tasks,
      imageSize: config.imageSize,
      seed: config.seed,
      fold: config.split.kind === 'kfold' ? config.split.fold : null,
      config,
      datasetVersionId: version.id,
      splitId,
    });
  }
}

function makeSplit(cases: CaseRecord[], config: TrainConfig, version: DatasetVersionRecord, runLabel: string): SplitAssignment {
  const { split } = config;
  try {
    return split.kind === 'holdout'
      ? makeHoldoutSplit(cases, { seed: split.seed, fractions: split.fractions })
      : makeKFoldSplit(cases, { seed: split.seed, k: split.folds, fold: split.fold, testFraction: split.testFraction });
  } catch (error) {
    throw new CliError(
      `split: run '${runLabel}' cannot split dataset '${version.datasetName}' (${version.caseCount} cases, ${version.patientCount} patients): ${(error as Error).message}`,
      EXIT_CODES.badConfig,
    );
  }
}

// A fixed namespace for run ids (RFC 9562 UUIDv5: SHA-1 of namespace and name).
const RUN_ID_NAMESPACE = Buffer.from('6f7675732d72756e2d69642d76310000', 'hex');

/** The id of run `index` of a sweep: the same on every submission, so submitting again creates nothing. */
export function sweepRunId(sweepId: string, index: number): string {
  const hash = createHash('sha1').update(RUN_ID_NAMESPACE).update(`${sweepId}/${index}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
