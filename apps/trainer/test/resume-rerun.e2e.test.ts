// A `train` process SIGKILLed after its first checkpoint continues with `train --resume` to the
// same metric points as an uninterrupted run, and `rerun` of the finished run (same seed, wasm)
// gives the same test results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import {
  expectedMetricPoints,
  hasCheckpoint,
  importPhantom,
  metricPoints,
  runRow,
  startCli,
  startE2e,
  testResults,
  TINY_RUN,
  waitFor,
  type E2eEnvironment,
} from './e2e-harness';

let e2e: E2eEnvironment;

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'resume-phantom');
});

afterAll(async () => {
  await e2e.cleanup();
});

const EPOCHS = 3;
const sets = [
  'dataset.name=resume-phantom',
  'backbone=mobilenet-v3-small',
  'backboneOptions.widthMultiplier=0.25',
  `epochs=${EPOCHS}`,
  'backend=wasm',
  'seed=5',
  ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
].flatMap((s) => ['--set', s]);

describe('train --resume and rerun', () => {
  it('continue a killed run from its checkpoint with every metric point once, and repeat a finished run exactly', async () => {
    const child = startCli(e2e, ['train', ...sets]);
    const runId = await waitFor('the run id', async () => /Run ([0-9a-f-]{36}) \(/.exec(child.output())?.[1]);
    await waitFor('the first checkpoint', () => hasCheckpoint(e2e.db, runId));
    child.process.kill('SIGKILL');
    await child.exited;
    expect((await runRow(e2e.db, runId)).status).toBe('running'); // nobody told the database

    const resumed = await cli('train', '--resume', runId);
    expect(resumed.code).toBe(0);
    expect(resumed.err).toMatch(/resuming at epoch [23] of 3/);
    expect(resumed.out).toMatch(/Scores of the selected model \(epoch \d of 3, chosen on validation loss\)/);
    expect(await runRow(e2e.db, runId)).toMatchObject({ status: 'finished', attempt: 2 });
    const expected = expectedMetricPoints({ epochs: EPOCHS, stepsPerEpoch: 4 });
    const { rows, points } = await metricPoints(e2e.db, runId);
    expect(rows).toBe(expected.size);
    expect([...points].sort()).toEqual([...expected].sort());

    // A finished run is repeated as a new run from its stored config; the same seed on wasm
    // reproduces it (this one never stopped, the original was killed and resumed).
    const rerun = await cli('rerun', runId, '--here');
    expect(rerun.code).toBe(0);
    const copyId = /repeating it as run ([0-9a-f-]{36})/.exec(rerun.out)?.[1] as string;
    expect(copyId).toBeDefined();
    expect(await runRow(e2e.db, copyId)).toMatchObject({ status: 'finished', attempt: 1, tfjs_backend: 'wasm' });
    const original = await testResults(e2e.db, runId);
    expect(original).toHaveLength(8);
    expect(await testResults(e2e.db, copyId)).toEqual(original);
    const tags = await e2e.db.pool.query('SELECT value FROM tag WHERE run_id = $1 AND key = $2', [copyId, 'rerun_of']);
    expect(tags.rows[0]?.value).toBe(runId);
  });

  it('refuses what cannot be resumed or rerun, before any work', async () => {
    const both = await cli('train', '--resume', '00000000-0000-4000-8000-000000000000', '--set', 'epochs=2');
    expect(both.code).toBe(2);
    expect(both.err).toContain('--resume trains the run with its stored config');
    const unknown = await cli('train', '--resume', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Run 00000000-0000-4000-8000-000000000000 does not exist');
    const notAnId = await cli('rerun', 'last-week');
    expect(notAnId.code).toBe(2);
    expect(notAnId.err).toContain("'last-week' is not a run id");
  });
});
