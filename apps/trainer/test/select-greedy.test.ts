// `select plan --greedy` step by step against real PostgreSQL and the real CLI: each call reads
// the stored runs of the source sweep (and the --with sweeps), follows the greedy forward path as
// far as they reach, and plans only the task sets its next step needs — malignancy alone when
// there is no starting point, then malignancy + each candidate, then the best so far + each of
// the rest — until no candidate helps. Training is not what is under test here: the sweeps are
// submitted by the CLI as usual, and each planned run is then marked finished with a malignancy
// test F1 chosen so that the path is known (blood flow helps, solid component does not).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-harness';
import { importPhantom, startE2e, TINY_RUN, type E2eEnvironment } from './e2e-harness';

let e2e: E2eEnvironment;
const CANDIDATES = ['--parameters', 'blood_flow,solid'];

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'greedy-phantom');
});
afterAll(async () => {
  await e2e?.cleanup();
});

/** Marks the sweep's runs with exactly these tasks finished, with malignancy test F1 per seed. */
async function finish(sweepName: string, tasks: string[], f1BySeed: Record<number, number>): Promise<number> {
  const runs = await e2e.db.prisma.run.findMany({ where: { sweep: { name: sweepName } }, select: { id: true, tasks: true, seed: true } });
  const matching = runs.filter((r) => [...r.tasks].sort().join('+') === [...tasks].sort().join('+'));
  for (const run of matching) {
    const f1 = f1BySeed[run.seed];
    await e2e.db.prisma.run.update({ where: { id: run.id }, data: { status: 'finished', startedAt: new Date(), endedAt: new Date() } });
    await e2e.db.prisma.taskResult.create({
      data: { runId: run.id, task: 'malignancy', split: 'test', averaging: 'macro', accuracy: f1, precision: f1, recall: f1, f1, f1Lo: f1 - 0.05, f1Hi: f1 + 0.05, auc: f1 + 0.1, support: 8 },
    });
  }
  return matching.length;
}

async function plannedTaskSets(file: string): Promise<string[]> {
  const sweep = parse(await readFile(file, 'utf8')) as { variants: { tasks: string[] }[]; grid: { seed: number[] } };
  expect(sweep.grid.seed).toEqual([0, 1]);
  return sweep.variants.map((v) => v.tasks.join('+'));
}

describe('select plan --greedy', () => {
  it('plans each step of the greedy path from the stored runs, and says when the path needs no more', { timeout: 300_000 }, async () => {
    const source = join(e2e.dataDir, 'greedy-src.yaml');
    await writeFile(
      source,
      stringify({ name: 'greedy-src', project: 'greedy', base: { dataset: { name: 'greedy-phantom' }, backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 }, epochs: 1, ...TINY_RUN, tasks: 'all' }, grid: { seed: [0, 1] } }),
    );
    const submitted = await cli('sweep', source);
    expect(submitted.code, submitted.err).toBe(0);

    // Nothing finished yet: no starting point, so the first step is malignancy alone.
    const start = join(e2e.dataDir, 'start.yaml');
    const first = await cli('select', 'plan', 'greedy-src', '--greedy', ...CANDIDATES, '--out', start);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/Wrote .*start\.yaml: 1 task sets × 2 replicate\(s\) = 2 runs/);
    expect(await plannedTaskSets(start)).toEqual(['malignancy']);
    const startSweep = await cli('select', 'plan', 'greedy-src', '--greedy', ...CANDIDATES, '--submit');
    expect(startSweep.code, startSweep.err).toBe(0);
    expect(startSweep.out).toMatch(/Submitted sweep greedy-src-greedy-0 \([0-9a-f-]{36}\): 2 run\(s\) queued now/);
    expect(await finish('greedy-src-greedy-0', ['malignancy'], { 0: 0.6, 1: 0.62 })).toBe(2);

    // From malignancy alone: malignancy + each candidate.
    const with0 = ['--with', 'greedy-src-greedy-0'];
    const step1 = join(e2e.dataDir, 'step1.yaml');
    const second = await cli('select', 'plan', 'greedy-src', '--greedy', ...with0, ...CANDIDATES, '--out', step1);
    expect(second.code, second.err).toBe(0);
    expect(await plannedTaskSets(step1)).toEqual(['blood_flow+malignancy', 'solid+malignancy']);
    const submit1 = await cli('select', 'plan', 'greedy-src', '--greedy', ...with0, ...CANDIDATES, '--submit');
    expect(submit1.out).toMatch(/Submitted sweep greedy-src-greedy-1 .*: 4 run\(s\) queued now/);
    expect(await finish('greedy-src-greedy-1', ['blood_flow', 'malignancy'], { 0: 0.7, 1: 0.72 })).toBe(2);
    expect(await finish('greedy-src-greedy-1', ['solid', 'malignancy'], { 0: 0.58, 1: 0.61 })).toBe(2);

    // Blood flow helped most (+0.10): the next step adds solid component to it.
    const with1 = [...with0, '--with', 'greedy-src-greedy-1'];
    const step2 = join(e2e.dataDir, 'step2.yaml');
    const third = await cli('select', 'plan', 'greedy-src', '--greedy', ...with1, ...CANDIDATES, '--out', step2);
    expect(third.code, third.err).toBe(0);
    expect(await plannedTaskSets(step2)).toEqual(['blood_flow+solid+malignancy']);
    const submit2 = await cli('select', 'plan', 'greedy-src', '--greedy', ...with1, ...CANDIDATES, '--submit');
    expect(submit2.out).toMatch(/Submitted sweep greedy-src-greedy-2 .*: 2 run\(s\) queued now/);
    expect(await finish('greedy-src-greedy-2', ['blood_flow', 'solid', 'malignancy'], { 0: 0.69, 1: 0.7 })).toBe(2);

    // Adding solid component lowered the F1: the path stops after one step and plans nothing.
    const done = await cli('select', 'plan', 'greedy-src', '--greedy', ...with1, '--with', 'greedy-src-greedy-2', ...CANDIDATES);
    expect(done.code, done.err).toBe(0);
    expect(done.out).toBe('The greedy path needs no more runs: it stopped (no parameter helps any more) after 1 step(s).\n');
    expect(await e2e.db.prisma.sweep.count({ where: { name: { startsWith: 'greedy-src-greedy-' } } })).toBe(3);
  });

  it('refuses what it cannot read, naming it', async () => {
    const unknown = await cli('select', 'plan', 'greedy-src', '--greedy', '--with', 'no-such-sweep');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain("Unknown sweep 'no-such-sweep': --greedy reads stored runs.");
    const badParameter = await cli('select', 'plan', 'greedy-src', '--greedy', '--parameters', 'blood_flow,colour');
    expect(badParameter.code).not.toBe(0);
    expect(badParameter.err).toMatch(/--parameters blood_flow,colour: unknown colour; valid: /);
  });
});
