// A sweep of two tiny backbones × two seeds through two real worker processes on real
// PostgreSQL, one of them SIGKILLed in the middle of a run: the other marks the silent run stale,
// then finishes everything — the killed run, retried after its lease, is running again as attempt 2
// and resumes from its checkpoint — and every run has exactly the metric points it should.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openTrackingDatabase } from '@ovus/tracking';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBackboneTable } from '../src/runtime/backbone-table';
import { cli } from './cli-harness';
import {
  expectedMetricPoints,
  hasCheckpoint,
  importPhantom,
  metricPoints,
  runRow,
  startCli,
  startE2e,
  TINY_RUN,
  waitFor,
  type Child,
  type E2eEnvironment,
} from './e2e-harness';

let e2e: E2eEnvironment;
const workers: Child[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  await importPhantom(e2e, 'tiny-phantom');
});

afterAll(async () => {
  for (const w of workers) if (w.process.exitCode === null) w.process.kill('SIGKILL');
  await e2e.cleanup();
});

const EPOCHS = 3;
// 24 cases, 60/20/20 by patient: 15 training cases in batches of 4.
const STEPS_PER_EPOCH = 4;

describe('a sweep through two worker processes', () => {
  it('trains every run exactly once, resuming a SIGKILLed worker’s run elsewhere with nothing lost or doubled', async () => {
    const sweepFile = join(e2e.dataDir, 'tiny-sweep.yaml');
    await writeFile(
      sweepFile,
      stringify({
        name: 'tiny',
        project: 'e2e',
        base: { dataset: { name: 'tiny-phantom' }, epochs: EPOCHS, ...TINY_RUN },
        variants: [
          { backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.25 } },
          { backbone: 'resnet18', backboneOptions: { widthMultiplier: 0.25 } },
        ],
        grid: { seed: [0, 1] },
      }),
    );
    const submitted = await cli('sweep', sweepFile);
    expect(submitted.err).toBe('');
    expect(submitted.out).toMatch(/Submitted sweep ([0-9a-f-]{36}) .*: 4 run\(s\) queued now, 0 already known to the queue, 0 finished/);
    const sweepId = /Submitted sweep ([0-9a-f-]{36})/.exec(submitted.out)?.[1] as string;
    // The same sweep again: the same runs (ids fixed by sweep and index), nothing queued twice.
    const again = await cli('sweep', sweepFile);
    expect(again.out).toContain(`Already submitted sweep ${sweepId}`);
    expect(again.out).toContain('0 run(s) queued now, 4 already known to the queue');
    const { rows: runs } = await e2e.db.pool.query<{ id: string; name: string }>('SELECT id, name FROM run WHERE sweep_id = $1 ORDER BY name', [sweepId]);
    expect(runs).toHaveLength(4);

    // Runs send a heartbeat every second, so a run silent for 3 s is stale — well before its
    // lease (10 s) runs out and the queue hands it to the other worker.
    const fastQueue = ['--lease-seconds', '10', '--poll-seconds', '0.5', '--maintenance-seconds', '1', '--retry-delay-seconds', '0', '--heartbeat-seconds', '1'];
    const byHost = new Map<string, Child>();
    for (const host of ['wA', 'wB']) {
      const child = startCli(e2e, ['worker', '--concurrency', '1', '--until-idle', '--backend', 'wasm', '--host', host, ...fastQueue]);
      workers.push(child);
      byHost.set(host, child);
    }

    // Kill whichever worker first holds a run that has checkpointed an epoch but not finished.
    const victim = await waitFor('a run past its first checkpoint', async () => {
      for (const run of runs) {
        const row = await runRow(e2e.db, run.id);
        if (row.status === 'running' && row.host && (await hasCheckpoint(e2e.db, run.id))) return { runId: run.id, host: row.host };
      }
      return null;
    });
    const killed = byHost.get(victim.host) as Child;
    killed.process.kill('SIGKILL');
    expect(await killed.exited).toBeNull(); // ended by the signal

    const survivor = [...byHost.values()].find((c) => c !== killed) as Child;
    // A worker never marks its own runs, so the survivor is the one that says it marked the victim's.
    // (A live run can be marked too, while a slow step holds up its heartbeats: its next beat revives it.)
    const outputs = () => `killed run ${victim.runId}; survivor's output:\n${survivor.output()}\nkilled worker's output:\n${killed.output()}`;
    const seen: string[] = [];
    const victimRow = async () => {
      const row = await runRow(e2e.db, victim.runId);
      if (seen.at(-1) !== `${row.status}/${row.attempt}`) seen.push(`${row.status}/${row.attempt}`);
      return row;
    };
    const explain = () => `states seen: ${seen.join(' → ')}\n${outputs()}`;
    await waitFor('the killed run to be marked stale', async () => (await victimRow()).status === 'stale', 60_000, 50, explain);
    const markedStale = new RegExp(`marked \\d+ run\\(s\\) stale — no heartbeat for 3s, their process probably died: .*${victim.runId}`);
    await waitFor('the survivor to say so', async () => markedStale.test(survivor.output()), 60_000, 50, explain);
    const retried = await waitFor(
      'the retried run to be running again',
      async () => {
        const row = await victimRow();
        return row.status === 'running' && row.attempt === 2 ? row : null;
      },
      60_000,
      50,
      explain,
    );
    expect(retried.error_text).toBeNull();

    const code = await survivor.exited;
    expect({ code, output: code === 0 ? '' : survivor.output() }).toEqual({ code: 0, output: '' });
    expect(survivor.output()).toContain(`claimed run ${victim.runId} (attempt 2)`);
    expect(survivor.output()).toContain(`run ${victim.runId}: resuming at epoch`);

    const expected = expectedMetricPoints({ epochs: EPOCHS, stepsPerEpoch: STEPS_PER_EPOCH });
    for (const run of runs) {
      const row = await runRow(e2e.db, run.id);
      expect(row).toMatchObject({ status: 'finished', tfjs_backend: 'wasm' });
      expect(row.git_commit).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
      expect(row.hardware).toMatchObject({ backend: 'wasm', cores: expect.any(Number) });
      const { rows, points } = await metricPoints(e2e.db, run.id);
      expect(rows).toBe(expected.size);
      expect([...points].sort()).toEqual([...expected].sort());
      const results = await e2e.db.pool.query('SELECT task, split FROM task_result WHERE run_id = $1', [run.id]);
      expect(results.rowCount).toBe(16); // 8 tasks × validation and test
    }
    console.log(survivor.output()); console.log(killed.output());
    expect({ attempt: (await runRow(e2e.db, victim.runId)).attempt, log: outputs() }).toMatchObject({ attempt: 2 });
    expect((await runRow(e2e.db, victim.runId)).host).toBe(survivor === byHost.get('wA') ? 'wA' : 'wB');

    // The backbone table: one line per backbone setting, over its two seeds.
    const database = await openTrackingDatabase({ databaseUrl: e2e.db.url });
    try {
      const table = await formatBackboneTable(database, sweepId);
      const lines = table.split('\n');
      expect(lines[0]).toMatch(/^\s+setting\s+runs\s+accuracy\s+precision\s+recall\s+F1\s+paper/);
      expect(lines[1]).toMatch(/^\s+mobilenet-v3-small ×0\.25 32px\s+2\s+\d\.\d{3} ± \d\.\d{3}.*0\.718 \/ 0\.671 \/ 0\.634 \/ 0\.642$/);
      expect(lines[2]).toMatch(/^\s+resnet18 ×0\.25 32px\s+2\s+\d\.\d{3} ± \d\.\d{3}.*0\.705 \/ 0\.688 \/ 0\.561 \/ 0\.537$/);
    } finally {
      await database.close();
    }
  });
});
