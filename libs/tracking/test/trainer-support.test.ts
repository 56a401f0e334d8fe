// The pieces the trainer app needs from tracking: opening the database, finding a dataset version
// by name and version, and recording where a run attempt executes.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { computeStatistics, datasetContentHash, sha256Hex, type CaseRecord, type ValidatedDataset } from '@ovus/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetNotFoundError,
  ensureProject,
  findDatasetVersion,
  getRun,
  listDatasets,
  openTrackingDatabase,
  recordRunEnvironment,
  saveDatasetVersion,
  createRun,
} from '../src';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function dataset(name: string, seed: number): ValidatedDataset {
  const cases: CaseRecord[] = Array.from({ length: 4 }, (_, i) => ({
    caseId: `c${i}`,
    patientId: `p${i}`,
    bmusPath: `b${i}.png`,
    ceusPath: `c${i}.png`,
    bmusSha256: sha256Hex(`b-${seed}-${i}`),
    ceusSha256: sha256Hex(`c-${seed}-${i}`),
    labels: { blood_flow: 0, boundary: 1, echogenicity: 3, morphology: 0, papillary: null, septation: 1, solid: 0 },
    malignancy: (i % 2) as 0 | 1,
  }));
  return { name, contentHash: datasetContentHash(cases), manifestPath: '/d/manifest.csv', rootDir: '/d', cases, patientCount: 4, statistics: computeStatistics(cases) };
}

describe('findDatasetVersion', () => {
  it('finds the latest version or one by hash prefix, and lists what exists when asked for something else', async () => {
    const first = dataset('phantom', 1);
    const second = dataset('phantom', 2);
    const v1 = await saveDatasetVersion(db.prisma, first);
    await new Promise((r) => setTimeout(r, 5)); // distinct creation times
    const v2 = await saveDatasetVersion(db.prisma, second);
    await saveDatasetVersion(db.prisma, dataset('other', 3));

    expect((await findDatasetVersion(db.prisma, 'phantom')).id).toBe(v2.id);
    expect((await findDatasetVersion(db.prisma, 'phantom', first.contentHash.slice(0, 10))).id).toBe(v1.id);
    expect((await listDatasets(db.prisma)).map((d) => [d.name, d.versions.length])).toEqual([['other', 1], ['phantom', 2]]);

    const unknown = await findDatasetVersion(db.prisma, 'phantm').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DatasetNotFoundError);
    expect((unknown as Error).message).toMatch(/^Dataset 'phantm' does not exist\. Known datasets: 'other' \(1 version, latest [0-9a-f]{12}, 4 cases\), 'phantom' \(2 versions/);
    await expect(findDatasetVersion(db.prisma, 'phantom', 'deadbeefdead')).rejects.toThrow(
      `Dataset 'phantom' has no version whose content hash starts with 'deadbeefdead'. Its versions: ${second.contentHash.slice(0, 12)} (4 cases`,
    );
    await expect(findDatasetVersion(db.prisma, 'phantom', 'newest')).rejects.toThrow("neither 'latest' nor 8 to 64 hex digits");
  });
});

describe('recordRunEnvironment', () => {
  it('fills in the host, backend, commit, hardware and attempt of a queued run', async () => {
    const project = await ensureProject(db.prisma, 'env-test');
    const { run } = await createRun(db.prisma, { projectId: project.id, name: 'r', backbone: 'resnet18', tasks: ['malignancy'], imageSize: 64, seed: 0, config: {} });
    expect(run).toMatchObject({ host: null, tfjsBackend: null, attempt: 0 });
    await recordRunEnvironment(db.pool, run.id, { gitCommit: 'abc123', tfjsBackend: 'wasm', host: 'node-1/2', hardware: { cores: 2 }, attempt: 2 });
    expect(await getRun(db.prisma, run.id)).toMatchObject({ gitCommit: 'abc123', tfjsBackend: 'wasm', host: 'node-1/2', hardware: { cores: 2 }, attempt: 2 });
    await expect(recordRunEnvironment(db.pool, '00000000-0000-4000-8000-000000000000', { gitCommit: null, tfjsBackend: 'cpu', host: 'h', hardware: null, attempt: 1 })).rejects.toThrow('does not exist');
  });
});

describe('openTrackingDatabase', () => {
  it('opens a given database (migrations already applied are a no-op) with a store over it', async () => {
    const opened = await openTrackingDatabase({ databaseUrl: db.url });
    try {
      expect(opened.embedded).toBe(false);
      expect(opened.url).toBe(db.url);
      expect(await opened.store.getRun('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect((await opened.datasets.list()).length).toBeGreaterThan(0);
      // Apps read and write through the bound repositories only: no handle to pick instead.
      expect(Object.keys(opened)).not.toContain('pool');
      expect(Object.keys(opened)).not.toContain('prisma');
      const project = await opened.projects.ensure('bound-repos');
      const { run } = await opened.runs.create({ projectId: project.id, name: 'bound', backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 0, config: {} });
      await opened.runs.setStatus(run.id, 'running');
      expect(await opened.runs.get(run.id)).toMatchObject({ name: 'bound', status: 'running' });
      expect((await opened.runs.list({ projectId: project.id })).map((r) => r.id)).toEqual([run.id]);
      expect(await opened.runs.markStale(60_000, Date.now() + 3_600_000)).toEqual([run.id]);
      expect(await opened.runs.delete(run.id)).toEqual({ blobs: 0, bytes: 0 });
      expect(await opened.runs.get(run.id)).toBeNull();
    } finally {
      await opened.close();
    }
  });
});
