// Dataset versions: an import of validated content becomes an immutable version, stored once per
// content hash whatever its name or folder, with its cases bulk-inserted in the same transaction.
import { CLINICAL_PARAMETERS, type ClinicalParameter } from '@ovus/domain';
import { datasetContentHash, type CaseRecord, type DatasetStatistics, type ValidatedDataset } from '@ovus/data';
import type { Case, PrismaClient } from '@ovus/db';
import { TrackingInputError } from '../errors';
import { prismaCode } from './prisma-errors';

const CASE_CHUNK = 2000; // rows per INSERT: 16 columns each stays far below PostgreSQL's 65,535 parameters

const LABEL_COLUMNS: Record<ClinicalParameter, keyof Case> = {
  blood_flow: 'bloodFlow',
  boundary: 'boundary',
  echogenicity: 'echogenicity',
  morphology: 'morphology',
  papillary: 'papillary',
  septation: 'septation',
  solid: 'solid',
};

export interface DatasetVersionRecord {
  id: string;
  datasetId: string;
  datasetName: string;
  contentHash: string;
  manifestPath: string;
  rootDir: string;
  caseCount: number;
  patientCount: number;
  statistics: DatasetStatistics;
  createdAt: Date;
}

/**
 * Stores a validated dataset as a version. The same content (by hash) is stored once: saving it
 * again returns the existing version with created: false, even under concurrent callers.
 */
export async function saveDatasetVersion(prisma: PrismaClient, dataset: ValidatedDataset): Promise<{ id: string; created: boolean }> {
  checkDataset(dataset);
  const existing = await prisma.datasetVersion.findUnique({ where: { contentHash: dataset.contentHash }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  try {
    return await prisma.$transaction(
      async (tx) => {
        const owner = await tx.dataset.upsert({ where: { name: dataset.name }, create: { name: dataset.name }, update: {} });
        const version = await tx.datasetVersion.create({
          data: {
            datasetId: owner.id,
            contentHash: dataset.contentHash,
            manifestPath: dataset.manifestPath,
            rootDir: dataset.rootDir,
            caseCount: dataset.cases.length,
            patientCount: dataset.patientCount,
            statistics: dataset.statistics,
          },
        });
        for (let i = 0; i < dataset.cases.length; i += CASE_CHUNK) {
          await tx.case.createMany({ data: dataset.cases.slice(i, i + CASE_CHUNK).map((c) => toCaseRow(version.id, c)) });
        }
        return { id: version.id, created: true };
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    // Another process stored the same content (or created the dataset name) first.
    if (prismaCode(error) === 'P2002') {
      const winner = await prisma.datasetVersion.findUnique({ where: { contentHash: dataset.contentHash }, select: { id: true } });
      if (winner) return { id: winner.id, created: false };
      return saveDatasetVersion(prisma, dataset);
    }
    throw error;
  }
}

function checkDataset(dataset: ValidatedDataset): void {
  if (!dataset.name || dataset.name.length > 200) {
    throw new TrackingInputError(`saveDatasetVersion: dataset name '${dataset.name}' must have 1 to 200 characters`);
  }
  if (dataset.cases.length === 0) throw new TrackingInputError(`saveDatasetVersion: dataset '${dataset.name}' has no cases`);
  const hash = datasetContentHash(dataset.cases);
  if (hash !== dataset.contentHash) {
    throw new TrackingInputError(
      `saveDatasetVersion: dataset '${dataset.name}' says its content hash is ${dataset.contentHash}, but its cases hash to ${hash}. ` +
        'Build it with the importer (validateDataset) instead of by hand, or recompute contentHash with datasetContentHash.',
    );
  }
  const seen = new Set<string>();
  for (const c of dataset.cases) {
    if (seen.has(c.caseId)) throw new TrackingInputError(`saveDatasetVersion: case id '${c.caseId}' appears twice in '${dataset.name}'`);
    seen.add(c.caseId);
  }
}

function toCaseRow(datasetVersionId: string, c: CaseRecord) {
  return {
    datasetVersionId,
    caseId: c.caseId,
    patientId: c.patientId,
    bmusPath: c.bmusPath,
    ceusPath: c.ceusPath,
    bmusSha256: c.bmusSha256,
    ceusSha256: c.ceusSha256,
    bloodFlow: c.labels.blood_flow,
    boundary: c.labels.boundary,
    echogenicity: c.labels.echogenicity,
    morphology: c.labels.morphology,
    papillary: c.labels.papillary,
    septation: c.labels.septation,
    solid: c.labels.solid,
    malignancy: c.malignancy,
  };
}

export async function getDatasetVersion(prisma: PrismaClient, versionId: string): Promise<DatasetVersionRecord | null> {
  const version = await prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: { select: { name: true } } } });
  if (!version) return null;
  return {
    id: version.id,
    datasetId: version.datasetId,
    datasetName: version.dataset.name,
    contentHash: version.contentHash,
    manifestPath: version.manifestPath,
    rootDir: version.rootDir,
    caseCount: version.caseCount,
    patientCount: version.patientCount,
    statistics: version.statistics as DatasetStatistics,
    createdAt: version.createdAt,
  };
}

export async function findDatasetVersionByHash(prisma: PrismaClient, contentHash: string): Promise<DatasetVersionRecord | null> {
  const version = await prisma.datasetVersion.findUnique({ where: { contentHash }, select: { id: true } });
  return version ? getDatasetVersion(prisma, version.id) : null;
}

/** The cases of a version as the importer described them, ordered by case id (code point order). */
export async function listCases(prisma: PrismaClient, versionId: string): Promise<CaseRecord[]> {
  const rows = await prisma.case.findMany({ where: { datasetVersionId: versionId } });
  if (rows.length === 0 && !(await prisma.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true } }))) {
    throw new TrackingInputError(`listCases: dataset version ${versionId} does not exist`);
  }
  return rows
    .map((row) => ({
      caseId: row.caseId,
      patientId: row.patientId,
      bmusPath: row.bmusPath,
      ceusPath: row.ceusPath,
      bmusSha256: row.bmusSha256,
      ceusSha256: row.ceusSha256,
      labels: Object.fromEntries(CLINICAL_PARAMETERS.map((p) => [p, row[LABEL_COLUMNS[p]] as number | null])) as CaseRecord['labels'],
      malignancy: row.malignancy as 0 | 1,
    }))
    .sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
}
