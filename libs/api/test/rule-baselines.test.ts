// Rule baselines (the IOTA Simple Rules as `ovus iota` logs them) beside the networks, through
// createCaller against real PostgreSQL: the fixture's sweep gets a run of the rules on labelled
// parameters and two on the best network's predicted parameters (one per seed), each with
// predictions for the cases it decided only. Rule rows are marked with their coverage, never the
// best; their paired tests run on the cases they decided and say so; runs sharing no case are
// refused; the network rows are what they were without the rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index';
import { createFixture, type Fixture } from './fixture';
import { memberApi } from './callers';

const LABELS = 'iota-simple-rules|labels';
const PREDICTED = 'iota-simple-rules|predicted|mobilenet-v3-small|0.25|64';
const BEST = 'mobilenet-v3-small|0.25|64';
const T0 = Date.UTC(2026, 11, 2);
/** The rules leave this many of the fixture's test cases undecided (the first ones). */
const UNDECIDED = 3;

let fx: Fixture;
let api: ReturnType<typeof createCaller>;
const rules: Record<string, string> = {};

/** A rule run as `ovus iota` stores it: task result over the decided cases, coverage metrics, the decided cases' predictions. */
async function logRuleRun(options: { key: string; groupKey: string; backbone: string; seed: number; fromRun: string | null; wrong: number; coverage: [number, number, number]; f1: number; decides: boolean }) {
  const { run } = await fx.store.createRun({
    projectId: fx.projectId,
    sweepId: fx.sweepId,
    groupKey: options.groupKey,
    name: options.fromRun ? `iota-simple-rules on seed ${options.seed}'s predicted parameters` : 'iota-simple-rules on labelled parameters',
    backbone: options.backbone,
    tasks: ['malignancy'],
    imageSize: 64,
    seed: options.seed,
    config: { kind: 'rule-baseline', rules: 'iota-simple-rules', source: options.fromRun ? 'predicted' : 'labels', fromRun: options.fromRun, imageSize: 64 },
    datasetVersionId: fx.datasetVersionId,
    splitId: fx.splitId,
  });
  rules[options.key] = run.id;
  await fx.store.setRunStatus(run.id, 'running', { at: T0 });
  const labels = await fx.repos.predictions.forRun(fx.runs.a1 as string, { split: 'test', task: 'malignancy' });
  const decided = options.decides ? labels.slice(UNDECIDED) : [];
  const [value, lo, hi] = options.coverage;
  await fx.store.logBatch(run.id, {
    metrics: [
      { key: 'final/test/malignancy/coverage', step: 0, value, timestamp: T0 },
      { key: 'final/test/malignancy/coverage_lo', step: 0, value: lo, timestamp: T0 },
      { key: 'final/test/malignancy/coverage_hi', step: 0, value: hi, timestamp: T0 },
    ],
    predictions: decided.map((p, i) => {
      const predicted = i < options.wrong ? 1 - (p.label as number) : (p.label as number);
      return { split: 'test' as const, task: 'malignancy', caseId: p.caseId, label: p.label, predicted, probabilities: predicted === 1 ? [0, 1] : [1, 0] };
    }),
  });
  if (options.decides) {
    const score = (v: number) => ({ value: v, lo: v - 0.1, hi: Math.min(1, v + 0.1) });
    await fx.store.saveTaskResult(run.id, { task: 'malignancy', split: 'test', averaging: 'macro', accuracy: score(1 - options.wrong / decided.length), precision: score(options.f1), recall: score(options.f1), f1: score(options.f1), auc: null, support: decided.length });
  }
  await fx.store.setRunStatus(run.id, 'finished', { at: T0 + 1000 });
}

beforeAll(async () => {
  fx = await createFixture();
  api = memberApi(fx.repos);
  // On labelled parameters the rules beat every network on the cases they decide (an upper bound).
  await logRuleRun({ key: 'labels', groupKey: LABELS, backbone: 'iota-simple-rules', seed: 0, fromRun: null, wrong: 0, coverage: [0.7, 0.4, 0.89], f1: 0.97, decides: true });
  await logRuleRun({ key: 'p1', groupKey: PREDICTED, backbone: 'iota-simple-rules/mobilenet-v3-small', seed: 1, fromRun: fx.runs.a1 as string, wrong: 2, coverage: [0.6, 0.3, 0.85], f1: 0.7, decides: true });
  await logRuleRun({ key: 'p2', groupKey: PREDICTED, backbone: 'iota-simple-rules/mobilenet-v3-small', seed: 2, fromRun: fx.runs.a2 as string, wrong: 2, coverage: [0.8, 0.5, 0.95], f1: 0.72, decides: true });
  // A rule run that decided no case (so stored no prediction and no task result): compare only.
  await logRuleRun({ key: 'none', groupKey: 'iota-simple-rules|predicted|vgg16|1|64', backbone: 'iota-simple-rules/vgg16', seed: 1, fromRun: fx.runs.b1 as string, wrong: 0, coverage: [0, 0, 0.3], f1: 0, decides: false });
});
afterAll(async () => {
  await fx.drop();
});

describe('rule baselines in the backbone table', () => {
  it('marks the rule rows with their coverage, after the networks, and picks the best among the networks only', async () => {
    const table = await api.sweeps.backboneTable({ id: fx.sweepId });
    expect(table.rows.map((r) => [r.label, r.n, r.best, r.ruleBaseline])).toEqual([
      ['mobilenet-v3-small ×0.25 64px', 2, true, false],
      ['resnet18 64px', 2, false, false],
      ['vgg16 64px', 2, false, false],
      ['IOTA Simple Rules on labelled parameters', 1, false, true],
      ['IOTA Simple Rules on parameters predicted by mobilenet-v3-small ×0.25 64px', 2, false, true],
    ]);
    const labels = table.rows[3];
    const predicted = table.rows[4];
    // F1 0.97 on the cases it decided, above the best network's 0.81, and still not the best row.
    expect(labels?.scores.f1?.mean).toBeCloseTo(0.97, 12);
    // One run: its own (Wilson) interval; two: mean ± t-interval over the runs.
    expect(labels?.coverage).toEqual({ mean: 0.7, sd: null, lo: 0.4, hi: 0.89 });
    expect(predicted?.coverage?.mean).toBeCloseTo(0.7, 12);
    expect(predicted?.coverage?.lo).toBeLessThan(0.6);
    expect(table.rows.slice(0, 3).map((r) => r.coverage)).toEqual([null, null, null]);
    expect(labels?.published).toEqual({ source: 'IOTA 2010 multicentre validation', coverage: 0.77, sensitivity: 0.92, specificity: 0.96 });
    expect(labels?.paper).toBeNull();
    // The networks' rows are exactly what they are without the rules.
    expect(table.rows.slice(0, 3).map((r) => [r.tiedWithBest, r.pairedTest?.cases ?? null, r.pairedTest?.decided ?? null])).toEqual([
      [null, null, null],
      [true, 2 * fx.testCases.length, null],
      [false, 2 * fx.testCases.length, null],
    ]);
    expect(table.rows[2]?.pairedTest?.sentence).toMatch(/^On 18 shared test cases, vgg16 64px was right where mobilenet-v3-small ×0\.25 64px was wrong 0 times/);
    expect(table.notes.join(' ')).toMatch(/rule baselines \(ovus iota\), not networks[\s\S]*Published for contrast: IOTA 2010 multicentre validation: decided 77%, sensitivity 92%, specificity 96%\./);
  });

  it('tests a rule row against the best network with McNemar on the cases the rules decided, and says how many', async () => {
    const table = await api.sweeps.backboneTable({ id: fx.sweepId });
    const n = fx.testCases.length;
    const labels = table.rows.find((r) => r.groupKey === LABELS);
    const predicted = table.rows.find((r) => r.groupKey === PREDICTED);
    // The labelled-parameter rules (seed 0) are paired with the best group's first run (seed 1,
    // right on every case): both right wherever the rules decided.
    expect(labels?.pairedTest).toMatchObject({ method: 'mcnemar', cases: n - UNDECIDED, decided: { of: n }, refused: null, delong: null, mcnemar: { b: 0, c: 0 } });
    expect(labels?.tiedWithBest).toBe(true);
    expect(labels?.pairedTest?.sentence).toBe(
      `On the ${n - UNDECIDED} of ${n} test cases the rules decided, IOTA Simple Rules on labelled parameters was right where mobilenet-v3-small ×0.25 64px was wrong 0 times, ` +
        "and the reverse 0 times: McNemar's test p = 1.000, so the difference in accuracy could be chance (α = 0.05). " +
        "DeLong's test does not apply: IOTA Simple Rules on labelled parameters gives hard verdicts (benign or malignant), not probabilities that rank the cases.",
    );
    // Per seed, pooled: 2 × (n − 3) decided cases out of 2 × n.
    expect(predicted?.pairedTest).toMatchObject({ method: 'mcnemar', cases: 2 * (n - UNDECIDED), decided: { of: 2 * n }, delong: null });
    expect(predicted?.pairedTest?.sentence).toMatch(new RegExp(`^On the ${2 * (n - UNDECIDED)} of ${2 * n} test cases the rules decided, `));
    // By AUC the networks are tested with DeLong; the rules (no AUC) still with McNemar.
    const byAuc = await api.sweeps.backboneTable({ id: fx.sweepId, metric: 'auc' });
    expect(byAuc.rows.map((r) => [r.best, r.pairedTest?.method ?? null])).toEqual([
      [true, null],
      [false, 'delong'],
      [false, 'delong'],
      [false, 'mcnemar'],
      [false, 'mcnemar'],
    ]);
  });

  it('exports the rule rows with their coverage and the published figures, byte-stable', async () => {
    const csv = await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'csv' });
    expect(await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'csv' })).toEqual(csv);
    const lines = csv.content.trimEnd().split('\n');
    const header = (lines[0] as string).split(',');
    const labelsLine = lines.find((l) => l.startsWith('IOTA Simple Rules on labelled parameters,')) as string;
    const cells = labelsLine.split(',');
    expect(cells[header.indexOf('Coverage')]).toBe('0.700');
    expect(cells[header.indexOf('Coverage CI low')]).toBe('0.400');
    expect(cells[header.indexOf('rule baseline')]).toBe('yes');
    expect(cells[header.indexOf('best')]).toBe('no');
    expect(labelsLine.endsWith(',"IOTA 2010 multicentre validation: decided 77%, sensitivity 92%, specificity 96%"')).toBe(true);
    expect((lines[1] as string).split(',')[header.indexOf('rule baseline')]).toBe('no');
    const markdown = (await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'markdown' })).content;
    expect(markdown).toContain('| IOTA Simple Rules on labelled parameters † | 1 | 1.000 | 0.970 | 0.970 | 0.970 | — | 0.700 ± 0.245 | IOTA 2010 multicentre validation: decided 77%, sensitivity 92%, specificity 96% |');
    expect(markdown).toContain('| **mobilenet-v3-small ×0.25 64px** | 2 |');
    const latex = (await api.sweeps.exportBackboneTable({ id: fx.sweepId, format: 'latex' })).content;
    expect(latex).toContain('IOTA 2010 multicentre validation: decided 77\\%, sensitivity 92\\%, specificity 96\\%');
  });
});

describe('rule baselines in compare', () => {
  it('compares a rule run beside networks: coverage shown, McNemar on the decided cases, no DeLong', async () => {
    const result = await api.compare.runs({ runIds: [fx.runs.a1 as string, rules.labels as string, fx.runs.b1 as string] });
    expect(result.runs.map((r) => [r.ruleBaseline, r.coverage])).toEqual([
      [false, null],
      [true, { mean: 0.7, sd: null, lo: 0.4, hi: 0.89 }],
      [false, null],
    ]);
    const [vsRules, vsNetwork] = result.pairedTests;
    const n = fx.testCases.length;
    expect(vsRules).toMatchObject({ runId: rules.labels, cases: n - UNDECIDED, decided: { of: n }, delong: null, refused: null });
    expect(vsRules?.sentence).toMatch(new RegExp(`^On the ${n - UNDECIDED} of ${n} test cases the rules decided, iota-simple-rules on labelled parameters was right`));
    expect(vsRules?.sentence).toMatch(/DeLong's test does not apply/);
    // Network against network: as before.
    expect(vsNetwork).toMatchObject({ cases: n, decided: null, mcnemar: { b: 0, c: 8 } });
    expect(vsNetwork?.delong).not.toBeNull();

    // With the rules as the reference, a network is tested on the cases the rules decided too.
    const reversed = await api.compare.runs({ runIds: [rules.labels as string, fx.runs.b1 as string] });
    expect(reversed.pairedTests[0]).toMatchObject({ cases: n - UNDECIDED, decided: { of: n }, delong: null });
  });

  it('refuses a rule run that shares no test case, or stored no prediction, saying what to do', async () => {
    const result = await api.compare.runs({ runIds: [rules.labels as string, fx.runs.other as string, rules.none as string] });
    expect(result.pairedTests[0]?.refused).toBe('other split and iota-simple-rules on labelled parameters share no test cases (different dataset versions or splits): a paired test needs the same cases.');
    expect(result.pairedTests[1]?.refused).toMatch(/has no stored per-case predictions on the test split \(the rules decided no case, or were logged before `ovus iota` stored them: run `ovus iota --run <network run>` again\)/);
    expect(result.refused).toMatch(/^No run shares test cases with iota-simple-rules on labelled parameters/);
  });

  it('compares a rule group with a network group: coverage and the decided cases, runs paired per seed', async () => {
    const result = await api.compareGroups.get({ groups: [{ sweepId: fx.sweepId, groupKey: BEST }, { sweepId: fx.sweepId, groupKey: PREDICTED }, { sweepId: fx.sweepId, groupKey: LABELS }] });
    expect(result.groups.map((g) => [g.name, g.ruleBaseline, g.coverage?.mean ?? null])).toEqual([
      ['mobilenet-v3-small ×0.25 64px', false, null],
      ['IOTA Simple Rules on parameters predicted by mobilenet-v3-small ×0.25 64px', true, expect.closeTo(0.7, 12)],
      ['IOTA Simple Rules on labelled parameters', true, 0.7],
    ]);
    expect(result.groups[2]?.coverage).toEqual({ mean: 0.7, sd: null, lo: 0.4, hi: 0.89 });
    const [predicted, labels] = result.pairedTests;
    const n = fx.testCases.length;
    expect(predicted?.pairing.by).toBe('seed');
    expect(predicted).toMatchObject({ cases: 2 * (n - UNDECIDED), decided: { of: 2 * n }, delong: null });
    expect(predicted?.sentence).toMatch(new RegExp(`^On the ${2 * (n - UNDECIDED)} of ${2 * n} test cases the rules decided`));
    // The rules on labels have seed 0, which no network run has: paired in seed order.
    expect(labels?.pairing.by).toBe('order');
    expect(labels).toMatchObject({ cases: n - UNDECIDED, decided: { of: n } });
  });
});
