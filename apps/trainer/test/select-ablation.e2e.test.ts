// The selection analysis end to end on a phantom with planted structure, through the queue and a
// real worker process on real PostgreSQL: blood flow tied to malignancy and drawn; septation and
// papillary projection independent of malignancy; solid component tied to malignancy but not
// drawn. The ablation sweep is planned and submitted by `select plan`, trained by a worker,
// analysed and stored by `select --sweep` (once: the second time stores nothing), and the Table 3
// flow trains malignancy + the selected parameters and prints their table.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import { startCli, startE2e, type Child, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
const children: Child[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  const out = join(e2e.dataDir, 'planted');
  const synth = await cli('synth', '--out', out, '--cases', '160', '--size', '32', '--seed', '1', '--independent', 'septation,papillary', '--hidden', 'solid');
  if (synth.code !== 0) throw new Error(synth.err);
  const imported = await cli('import', join(out, 'manifest.csv'), '--name', 'planted');
  if (imported.code !== 0) throw new Error(imported.err);
});

afterAll(async () => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  await e2e.cleanup();
});

async function work(): Promise<void> {
  const worker = startCli(e2e, ['worker', '--concurrency', '2', '--until-idle', '--backend', 'wasm', '--poll-seconds', '0.5']);
  children.push(worker);
  const code = await worker.exited;
  expect(code, worker.output()).toBe(0);
}

interface Finding {
  parameter: string;
  selected: boolean;
  reason: string;
  criteria: Record<'association' | 'balance' | 'predictability' | 'contribution', { status: string }>;
}

describe('select: the ablation flow on a planted phantom', () => {
  it('plans, trains through the queue, analyses and stores once; ranks and selects as planted; refuses what it cannot use; Table 3 follows', { timeout: 600_000 }, async () => {
    const config = join(e2e.dataDir, 'planted.yaml');
    await writeFile(
      config,
      stringify({
        name: 'planted-all',
        project: 'planted',
        base: {
          dataset: { name: 'planted' },
          tasks: 'all',
          backbone: 'mobilenet-v3-small',
          backboneOptions: { widthMultiplier: 0.25 },
          imageSize: 32,
          epochs: 5,
          batchSize: 8,
          optimizer: { name: 'adam', learningRate: 0.003 },
          split: { kind: 'holdout', seed: 0, fractions: { train: 0.6, validation: 0.15, test: 0.25 } },
          earlyStopping: null,
          evaluation: { bootstrapResamples: 100 },
        },
        grid: { seed: [0, 1] },
      }),
    );

    // Before any run exists: the sweep is unknown, and the error lists what there is.
    const unknown = await cli('select', '--sweep', 'planted-all-ablation');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown sweep 'planted-all-ablation'\. No sweep is stored yet/);

    const plan = await cli('select', 'plan', config, '--parameters', 'solid', '--submit');
    expect(plan.err).toBe('');
    // all eight heads, malignancy alone, all but solid, solid + malignancy; × 2 seeds.
    expect(plan.out).toMatch(/Submitted sweep planted-all-ablation \(([0-9a-f-]{36})\): 8 run\(s\) queued now/);

    // Queued but not trained: the analysis says what is missing and how to get it.
    const early = await cli('select', '--sweep', 'planted-all-ablation');
    expect(early.code).toBe(3);
    expect(early.err).toMatch(/no finished run with test scores yet\. Train its queued runs first: npx ovus worker --until-idle/);

    // A sweep of malignancy-only runs, trained by the same worker: not enough for the analysis.
    const single = join(e2e.dataDir, 'single.yaml');
    await writeFile(
      single,
      stringify({
        name: 'malignancy-only',
        project: 'planted',
        base: { dataset: { name: 'planted' }, tasks: ['malignancy'], backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 }, imageSize: 32, epochs: 1, batchSize: 8, evaluation: { bootstrapResamples: 20 } },
      }),
    );
    expect((await cli('sweep', single)).code).toBe(0);

    await work();

    const refused = await cli('select', '--sweep', 'malignancy-only');
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/no finished multi-task run .*select plan <sweep>/);

    const first = await cli('select', '--sweep', 'planted-all-ablation', '--json');
    expect(first.err).toBe('');
    const result = JSON.parse(first.out) as { analysisId: string; created: boolean; selected: string[]; findings: Finding[]; runIds: string[]; greedy: { stop: string } };
    expect(result.created).toBe(true);
    expect(result.runIds).toHaveLength(8);
    const byName = Object.fromEntries(result.findings.map((f) => [f.parameter, f]));
    // Tied and drawn: kept on every criterion with data.
    expect(byName.blood_flow.selected, byName.blood_flow.reason).toBe(true);
    expect(byName.blood_flow.criteria.predictability.status).toBe('pass');
    // Independent: no association.
    for (const p of ['septation', 'papillary']) {
      expect(byName[p].selected).toBe(false);
      expect(byName[p].criteria.association.status, byName[p].reason).toBe('fail');
    }
    // Tied but not drawn: associated, yet not predicted above chance from the images.
    expect(byName.solid.criteria.association.status).toBe('pass');
    expect(byName.solid.criteria.predictability.status, byName.solid.reason).toBe('fail');
    expect(byName.solid.selected).toBe(false);
    expect(byName.solid.criteria.contribution.status).not.toBe('not-evaluated');
    expect(result.findings[0].parameter).toBe('blood_flow');
    // The greedy path starts (malignancy alone exists) and names the runs its next step needs.
    expect(result.greedy.stop).toBe('missing-runs');

    // Same inputs: nothing stored, the same result.
    const again = await cli('select', '--sweep', 'planted-all-ablation', '--json');
    const second = JSON.parse(again.out) as typeof result;
    expect(second.created).toBe(false);
    expect(second.analysisId).toBe(result.analysisId);
    expect(second.findings).toEqual(result.findings);
    const { rows } = await e2e.db.pool.query<{ n: number; findings: number; runs: number; code: string | null; config: { thresholds: { alpha: number } } }>(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM selection_finding) AS findings, max(array_length(run_ids, 1)) AS runs,
              max(code_version) AS code, (array_agg(config))[1] AS config FROM selection_analysis`,
    );
    expect(rows[0]).toMatchObject({ n: 1, findings: 7, runs: 8, config: { thresholds: { alpha: 0.05 } } });
    // Another threshold is another analysis: the project's history grows.
    const stricter = await cli('select', '--sweep', 'planted-all-ablation', '--threshold', 'alpha=0.01');
    expect(stricter.out).toMatch(/Stored as analysis/);
    expect(stricter.out).toMatch(/alpha = 0\.01/);

    // The Table 3 flow: malignancy + the selected parameters, same setting and seeds.
    const table3File = join(e2e.dataDir, 'table3.yaml');
    const selected = await cli('select', '--sweep', 'planted-all-ablation', '--table3-out', table3File);
    expect(selected.out).toMatch(/Same inputs as analysis .*: nothing new stored/);
    expect(selected.out).toMatch(/Wrote .*table3\.yaml: malignancy \+ blood_flow × 2 replicate\(s\)/);
    const submitted = await cli('sweep', table3File);
    expect(submitted.out).toMatch(/2 run\(s\) queued now/);
    await work();
    const table = await cli('select', 'table3', 'planted-all-ablation-selected');
    expect(table.err).toBe('');
    const lines = table.out.split('\n').map((l) => l.trim());
    expect(lines.find((l) => l.startsWith('Blood flow signal'))).toMatch(/^Blood flow signal\s+2\s+0\.\d{3} \[/);
    expect(lines.find((l) => l.startsWith('Classification'))).toMatch(/0\.731 \/ 0\.692 \/ 0\.643 \/ 0\.653$/);
  });
});
