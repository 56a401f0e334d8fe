// Commands against a real database: importing twice stores one version, and runs naming a
// dataset that does not exist are refused before anything is stored, listing the known ones.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from './cli-harness';
import { importPhantom, startE2e, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'known-phantom');
});
afterAll(async () => {
  await e2e.cleanup();
});

describe('datasets in the database', () => {
  it('stores the same content once', async () => {
    const again = await cli('import', join(e2e.dataDir, 'known-phantom', 'manifest.csv'), '--name', 'known-phantom');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/This content is already stored \(version [0-9a-f]{12}, id [0-9a-f-]{36}\); nothing changed\./);
    const versions = await e2e.db.pool.query('SELECT count(*)::int AS n FROM dataset_version');
    expect(versions.rows[0].n).toBe(1);
  });

  it('refuses a sweep or a run on a dataset that does not exist, naming the known ones, and stores nothing', async () => {
    // configs/demo.yaml names demo-phantom, which this database does not have.
    const sweep = await cli('sweep', join(repoRoot, 'configs/demo.yaml'));
    expect(sweep.code).toBe(2);
    expect(sweep.err).toMatch(/^dataset\.name: Dataset 'demo-phantom' does not exist\. Known datasets: 'known-phantom' \(1 version, latest [0-9a-f]{12}, 24 cases\)\. Import it first/);
    const train = await cli('train', '--set', 'dataset.name=known-phantm', '--set', 'backbone=resnet18', '--set', 'imageSize=32');
    expect(train.code).toBe(2);
    expect(train.err).toContain("Dataset 'known-phantm' does not exist. Known datasets: 'known-phantom'");
    const version = await cli('train', '--set', 'dataset.name=known-phantom', '--set', 'dataset.version=abcdef0123', '--set', 'backbone=resnet18', '--set', 'imageSize=32');
    expect(version.code).toBe(2);
    expect(version.err).toContain("Dataset 'known-phantom' has no version whose content hash starts with 'abcdef0123'. Its versions: ");
    const stored = await e2e.db.pool.query('SELECT (SELECT count(*) FROM sweep)::int AS sweeps, (SELECT count(*) FROM run)::int AS runs, (SELECT count(*) FROM project)::int AS projects');
    expect(stored.rows[0]).toEqual({ sweeps: 0, runs: 0, projects: 0 });
  });
});
