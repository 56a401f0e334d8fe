// Finding the dataset version a run config names ({ name, version: 'latest' | hash prefix }), and
// saying which datasets exist when it names none of them.
import type { PrismaClient } from '@ovus/db';
import { TrackingInputError } from '../errors';
import { getDatasetVersion, type DatasetVersionRecord } from './datasets';

export interface DatasetVersionSummary {
  id: string;
  contentHash: string;
  caseCount: number;
  patientCount: number;
  createdAt: Date;
}

export interface DatasetSummary {
  name: string;
  /** Newest first. */
  versions: DatasetVersionSummary[];
}

/** A dataset name or version that does not exist; `known` lists what does. */
export class DatasetNotFoundError extends TrackingInputError {
  override name = 'DatasetNotFoundError';
  constructor(
    message: string,
    readonly known: readonly DatasetSummary[],
  ) {
    super(message);
  }
}

/** Every dataset with its versions, by name. */
export async function listDatasets(prisma: PrismaClient): Promise<DatasetSummary[]> {
  const datasets = await prisma.dataset.findMany({
    orderBy: { name: 'asc' },
    include: { versions: { orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] } },
  });
  return datasets.map((d) => ({
    name: d.name,
    versions: d.versions.map((v) => ({ id: v.id, contentHash: v.contentHash, caseCount: v.caseCount, patientCount: v.patientCount, createdAt: v.createdAt })),
  }));
}

function describeKnown(known: readonly DatasetSummary[]): string {
  if (known.length === 0) return 'No dataset has been imported yet.';
  const items = known.map((d) => {
    const latest = d.versions[0];
    return `'${d.name}' (${d.versions.length} version${d.versions.length === 1 ? '' : 's'}${latest ? `, latest ${latest.contentHash.slice(0, 12)}, ${latest.caseCount} cases` : ''})`;
  });
  return `Known datasets: ${items.join(', ')}.`;
}

/**
 * The version of dataset `name` that `version` names: 'latest' (the newest import), or the start
 * (at least 8 hex digits) of its content hash. Throws DatasetNotFoundError listing what exists.
 */
export async function findDatasetVersion(prisma: PrismaClient, name: string, version = 'latest'): Promise<DatasetVersionRecord> {
  const known = await listDatasets(prisma);
  const dataset = known.find((d) => d.name === name);
  if (!dataset || dataset.versions.length === 0) {
    throw new DatasetNotFoundError(`Dataset '${name}' does not exist. ${describeKnown(known)} Import it first: npx ovus import <manifest> --name ${name}`, known);
  }
  let chosen: DatasetVersionSummary;
  if (version === 'latest') {
    chosen = dataset.versions[0];
  } else {
    const prefix = version.toLowerCase();
    if (!/^[0-9a-f]{8,64}$/.test(prefix)) {
      throw new DatasetNotFoundError(`Dataset version '${version}' is neither 'latest' nor 8 to 64 hex digits of a content hash.`, known);
    }
    const matches = dataset.versions.filter((v) => v.contentHash.startsWith(prefix));
    const listed = dataset.versions.map((v) => `${v.contentHash.slice(0, 12)} (${v.caseCount} cases, ${v.createdAt.toISOString().slice(0, 10)})`).join(', ');
    if (matches.length === 0) {
      throw new DatasetNotFoundError(`Dataset '${name}' has no version whose content hash starts with '${prefix}'. Its versions: ${listed}.`, known);
    }
    if (matches.length > 1) {
      throw new DatasetNotFoundError(`'${prefix}' matches ${matches.length} versions of dataset '${name}' (${listed}); give more digits.`, known);
    }
    chosen = matches[0];
  }
  return (await getDatasetVersion(prisma, chosen.id)) as DatasetVersionRecord;
}
