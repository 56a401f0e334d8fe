// `ovus iota --run <run>`: the IOTA Simple Rules on a trained run's test cases, from labelled and
// from predicted parameters, stored as two runs in the run's split that the backbone table reads
// (malignancy test results, macro), with coverage, per-case verdicts and the decided cases' test
// predictions (for paired tests); logging again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import { importPhantom, startE2e, TINY_RUN, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
let runId: string;

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'iota-phantom');
  const sets = [
    'dataset.name=iota-phantom',
    'backbone=mobilenet-v3-small',
    'backboneOptions.widthMultiplier=0.25',
    'epochs=2',
    'backend=wasm',
    ...Object.entries(TINY_RUN).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
  ].flatMap((s) => ['--set', s]);
  const trained = await cli('train', ...sets);
  if (trained.code !== 0) throw new Error(trained.err);
  runId = /Run ([0-9a-f-]{36}) \(/.exec(trained.out)?.[1] as string;
});

afterAll(async () => {
  await e2e?.cleanup();
});

describe('ovus iota', () => {
  it('stores the rules on labelled and on predicted parameters as runs beside the network run', async () => {
    const result = await cli('iota', '--run', runId, '--json');
    expect(result.code, result.err).toBe(0);
    const logged = JSON.parse(result.out) as { runId: string; source: string; summary: { n: number; counts: Record<string, number>; coverage: { value: number; count: number } } }[];
    expect(logged.map((l) => l.source)).toEqual(['labels', 'predicted']);
    const { rows: testCases } = await e2e.db.pool.query<{ n: number }>(
      `SELECT jsonb_array_length(s.assignment->'test') AS n FROM split s WHERE s.id = (SELECT split_id FROM run WHERE id = $1)`,
      [runId],
    );
    for (const l of logged) {
      const counts = l.summary.counts;
      expect(counts.benign + counts.malignant + counts.inconclusive + counts['not-evaluable']).toBe(l.summary.n);
      expect(l.summary.coverage.count).toBe(counts.benign + counts.malignant);
      expect(l.summary.n).toBe(testCases[0].n);
    }

    const { rows } = await e2e.db.pool.query<{ id: string; backbone: string; status: string; split_id: string; dataset_version_id: string; support: number | null; coverage: number }>(
      `SELECT r.id, r.backbone, r.status, r.split_id, r.dataset_version_id, t.support,
              (SELECT value FROM latest_metric m WHERE m.run_id = r.id AND m.key = 'final/test/malignancy/coverage') AS coverage
         FROM run r LEFT JOIN task_result t ON t.run_id = r.id AND t.task = 'malignancy' AND t.split = 'test' AND t.averaging = 'macro'
        WHERE r.backbone LIKE 'iota-simple-rules%' ORDER BY r.backbone`,
    );
    const network = (await e2e.db.pool.query<{ split_id: string; dataset_version_id: string }>('SELECT split_id, dataset_version_id FROM run WHERE id = $1', [runId])).rows[0];
    expect(rows.map((r) => r.backbone)).toEqual(['iota-simple-rules', 'iota-simple-rules/mobilenet-v3-small']);
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({ status: 'finished', split_id: network.split_id, dataset_version_id: network.dataset_version_id });
      const summary = logged[i].summary;
      expect(row.coverage).toBeCloseTo(summary.coverage.value, 9);
      // The task result scores the decided cases only (none decided: no task result).
      expect(row.support).toBe(summary.coverage.count > 0 ? summary.coverage.count : null);
    }
    const { rows: artifacts } = await e2e.db.pool.query<{ path: string }>(`SELECT path FROM artifact WHERE run_id = $1`, [rows[0].id]);
    expect(artifacts.map((a) => a.path)).toEqual(['iota/verdicts.json']);

    // Per-case test predictions of the decided cases (what paired tests match on), [1 - p, p] of the verdict.
    const predictionsOf = async () =>
      (
        await e2e.db.pool.query<{ run_id: string; case_id: string; label: number; predicted: number; probabilities: number[] }>(
          `SELECT run_id, case_id, label, predicted, probabilities FROM run_prediction WHERE run_id = ANY($1::uuid[]) AND split = 'test' AND task = 'malignancy' ORDER BY run_id, case_id`,
          [rows.map((r) => r.id)],
        )
      ).rows;
    const stored = await predictionsOf();
    for (const [i, row] of rows.entries()) {
      const mine = stored.filter((p) => p.run_id === row.id);
      expect(mine).toHaveLength(logged[i].summary.coverage.count);
      for (const p of mine) expect(p.probabilities.map(Number)).toEqual(p.predicted === 1 ? [0, 1] : [1, 0]);
    }
    const networkCases = (await e2e.db.pool.query<{ case_id: string; label: number }>(`SELECT case_id, label FROM run_prediction WHERE run_id = $1 AND split = 'test' AND task = 'malignancy'`, [runId])).rows;
    const labelOf = new Map(networkCases.map((p) => [p.case_id, p.label]));
    for (const p of stored) expect(p.label).toBe(labelOf.get(p.case_id)); // the network run's test cases, same labels

    const table = await cli('iota', '--run', runId);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/labelled \(upper bound\)/);
    expect(table.out).toMatch(/Published \(IOTA 2010 multicentre validation\): decided 77%, sensitivity 92%, specificity 96%/);
    const { rows: after } = await e2e.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM run WHERE backbone LIKE 'iota-simple-rules%'`);
    expect(after[0].n).toBe(2); // the same two runs, updated
    expect(await predictionsOf()).toEqual(stored); // and the same predictions
  });

  it('refuses a rule baseline as the source and an unknown run', async () => {
    const missing = await cli('iota', '--run', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);
    const { rows } = await e2e.db.pool.query<{ id: string }>(`SELECT id FROM run WHERE backbone = 'iota-simple-rules'`);
    const self = await cli('iota', '--run', rows[0].id);
    expect(self.code).toBe(2);
    expect(self.err).toMatch(/is itself a rule baseline/);
  });
});
