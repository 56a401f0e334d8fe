// Dashboard API benchmark: loads tracking data through the tracking store — first 100 runs
// (1 M metric points), then up to 1,000 runs × 20 series × 500 steps (10 M points) with task
// results, confusion matrices, ROC curves and per-case predictions for every run — and at each
// size measures, warm, the server-side time (createCaller, in process, superjson-serialised as the
// route handler would) of the four requests the pages make: the runs table (filtered, sorted by a
// latest metric), a sweep's backbone table, a run's chart payload and a 10-run compare; then a
// single series of 1,000,000 steps charted; then, at the largest size, the run page and the
// backbone table in headless Chromium (time until their charts are drawn). Prints p50/p95, payload
// bytes and points per series, and the smallest and largest size side by side with their ratio.
//
//   npx tsx tools/bench/src/dashboard.ts [--runs 1000] [--steps 500] [--requests 200] [--long-steps 1000000] [--page-loads 10]
//   npx tsx tools/bench/src/dashboard.ts --quick     # 200 runs (2 M points), 50 requests, 100,000-step series, 3 page loads
import { cpus, loadavg } from 'node:os';
import { Command } from 'commander';
import superjson from 'superjson';
import { createCaller, createContext, memberCaller } from '@ovus/api';
import { dbEnv } from '@ovus/db';
import { createTestDatabase } from '@ovus/db/testing';
import { bindRepositories, PostgresTrackingStore } from '@ovus/tracking';
import { positiveInt, runProgram } from './cli-options';
import { loadLongSeries, loadSweep, SERIES_KEYS, setUpDataset, WIDTHS } from './dashboard-data';
import { timePages, type PageSpec } from './dashboard-pages';

interface Options {
  runs: number;
  steps: number;
  requests: number;
  longSteps: number;
  pageLoads: number;
  pages: boolean;
  serverUrl: string;
}

const QUICK = { runs: 200, requests: 50, longSteps: 100_000, pageLoads: 3 };

const TARGET_P95_MS = 150;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const n = (value: number) => Math.round(value).toLocaleString('en-US');

interface Measured {
  name: string;
  p50: number;
  p95: number;
  bytes: number;
  maxPointsPerSeries: number | null;
}

async function measure(name: string, requests: number, call: (i: number) => Promise<unknown>, pointsOf?: (result: unknown) => number): Promise<Measured> {
  for (let i = 0; i < Math.min(20, requests); i += 1) superjson.stringify(await call(i)); // warm: plans, caches, JIT
  const times: number[] = [];
  let bytes = 0;
  let maxPoints: number | null = null;
  for (let i = 0; i < requests; i += 1) {
    const started = performance.now();
    const result = await call(i);
    const body = superjson.stringify(result); // what the route handler sends
    times.push(performance.now() - started);
    bytes = Math.max(bytes, Buffer.byteLength(body));
    if (pointsOf) maxPoints = Math.max(maxPoints ?? 0, pointsOf(result));
  }
  times.sort((a, b) => a - b);
  return { name, p50: quantile(times, 0.5), p95: quantile(times, 0.95), bytes, maxPointsPerSeries: maxPoints };
}

async function main(options: Options): Promise<void> {
  const db = await createTestDatabase({ serverUrl: options.serverUrl });
  try {
    const store = new PostgresTrackingStore(db);
    const repos = bindRepositories(db, store);
    // Measured as a signed-in member (the session check itself is better-auth's, outside this bench).
    const api = createCaller(createContext({ db: repos, caller: memberCaller({ id: 'bench', email: 'bench@example.org', name: 'Bench', role: 'member' }) }));
    const dataset = await setUpDataset(repos);
    const perSweep = 10 * WIDTHS.length * 5; // backbones × widths × 5 seeds = 100 runs
    const sweeps: { sweepId: string; runIds: string[] }[] = [];
    const results: { points: number; runs: number; measured: Measured[] }[] = [];
    console.log(`dashboard benchmark on ${cpus().length} cores (shared machine; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    console.log(`${SERIES_KEYS.length} series × ${options.steps} steps per run; ${perSweep} runs per sweep; ${options.requests} requests per measurement`);

    const sizes = [...new Set([Math.min(perSweep, options.runs), options.runs])];
    for (const targetRuns of sizes) {
      const loadStarted = performance.now();
      while (sweeps.length * perSweep < targetRuns) {
        sweeps.push(await loadSweep(store, repos, dataset, { index: sweeps.length, seeds: 5, steps: options.steps, parallel: 2 }));
      }
      await db.pool.query('VACUUM ANALYZE');
      const runs = sweeps.length * perSweep;
      const points = runs * SERIES_KEYS.length * options.steps;
      console.log(`\nloaded ${n(runs)} runs, ${n(points)} metric points through the tracking store in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);
      const allRuns = sweeps.flatMap((s) => s.runIds);
      const measured = [
        await measure('runs table (finished, 2 backbones, sorted by latest val/mean_f1, 5 metric columns, 50 rows)', options.requests, (i) =>
          api.runs.list({
            statuses: ['finished'],
            backbones: i % 2 ? ['resnet18', 'vgg16'] : ['mobilenet-v3-small', 'densenet121'],
            sort: { by: 'metric', metric: 'val/mean_f1', direction: i % 3 ? 'desc' : 'asc' },
            metrics: ['val/mean_f1', 'val/malignancy/f1', 'val/malignancy/auc', 'val/loss', 'train/loss'],
            limit: 50,
          }),
        ),
        await measure("a sweep's backbone table (20 groups × 5 seeds, McNemar vs best)", options.requests, (i) =>
          api.sweeps.backboneTable({ id: (sweeps[i % sweeps.length] as (typeof sweeps)[number]).sweepId }),
        ),
        await measure("a run's chart payload (20 series)", options.requests, (i) => api.metrics.chart({ runId: allRuns[(i * 37) % allRuns.length] as string }), (r) =>
          Math.max(...(r as Awaited<ReturnType<typeof api.metrics.chart>>).series.map((s) => s.steps.length)),
        ),
        await measure('a 10-run compare (config diff, results, McNemar + DeLong)', options.requests, (i) =>
          api.compare.runs({ runIds: Array.from({ length: 10 }, (_, k) => allRuns[(i * 13 + k * 7) % allRuns.length] as string) }),
        ),
      ];
      results.push({ points, runs, measured });
      for (const m of measured) {
        console.log(`  ${m.name}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms${m.p95 < TARGET_P95_MS ? '' : ' (over the 150 ms target)'}, payload ${n(m.bytes)} B${m.maxPointsPerSeries === null ? '' : `, ≤ ${m.maxPointsPerSeries} points per series`}`);
      }
    }

    const loadStarted = performance.now();
    const longRun = await loadLongSeries(store, dataset, options.longSteps);
    await db.pool.query('VACUUM ANALYZE metric');
    console.log(`\nloaded one series of ${n(options.longSteps)} steps in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);
    const long = await measure(`one series of ${n(options.longSteps)} steps charted`, options.requests, () =>
      api.metrics.series({ runId: longRun, keys: ['train/loss'] }),
      (r) => (r as Awaited<ReturnType<typeof api.metrics.series>>)[0]?.steps.length ?? 0,
    );
    const [series] = await api.metrics.series({ runId: longRun, keys: ['train/loss'] });
    const spikeAt = series?.steps.indexOf(777_777) ?? -1;
    const spike = options.longSteps >= 777_777 ? `, the spike at step 777,777 kept: ${spikeAt >= 0 && series?.values[spikeAt] === 40}` : '';
    console.log(`  p50 ${long.p50.toFixed(1)} ms, p95 ${long.p95.toFixed(1)} ms${long.p95 < TARGET_P95_MS ? '' : ' (over the 150 ms target)'}, ${long.maxPointsPerSeries} points returned of ${n(series?.total ?? 0)}${spike}, last step ${n(series?.steps.at(-1) ?? 0)}, payload ${n(long.bytes)} B`);

    if (results.length > 1) {
      const [small, large] = [results[0], results.at(-1)] as [(typeof results)[number], (typeof results)[number]];
      const label = (points: number) => `${(points / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} M points`;
      console.log(`\nthe same requests at ${label(small.points)} and ${label(large.points)} (${(large.points / small.points).toFixed(0)}× the data), ms:`);
      console.log(`  ${'request'.padEnd(28)} ${label(small.points).padStart(18)} ${label(large.points).padStart(18)}   p95 ratio`);
      console.log(`  ${''.padEnd(28)} ${'p50 / p95'.padStart(18)} ${'p50 / p95'.padStart(18)}`);
      for (const [i, m] of large.measured.entries()) {
        const before = small.measured[i] as Measured;
        const cell = (x: Measured) => `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)}`.padStart(18);
        console.log(`  ${(m.name.split(' (')[0] as string).padEnd(28)} ${cell(before)} ${cell(m)}   ${(m.p95 / before.p95).toFixed(2)}×`);
      }
    }

    if (options.pages) {
      const run = (sweeps[0] as (typeof sweeps)[number]).runIds[0] as string;
      const pages: PageSpec[] = [
        // 16 curves (total, epoch train + validation, 8 heads, 4 validation F1s, learning rate) and the 8 ROC curves.
        { name: 'run page', path: `/runs/${run}`, drawn: [{ selector: '.ui-curve-panel path.recharts-curve', count: 16 }, { selector: '[data-chart^="roc-"] path.recharts-curve', count: 8 }] },
        // 20 groups' bars in the chart under the table.
        { name: 'backbone table page', path: `/sweeps/${(sweeps[0] as (typeof sweeps)[number]).sweepId}`, drawn: [{ selector: '[data-chart="backbone-bars"] .recharts-bar-rectangle path', count: 20 }] },
      ];
      const large = results.at(-1) as (typeof results)[number];
      console.log(`\npages in headless Chromium at ${n(large.points)} points (navigation until the charts are drawn, ${options.pageLoads} loads after one warm-up):`);
      for (const t of await timePages(db.url, pages, options.pageLoads, (line) => console.log(`  ${line}`))) {
        console.log(`  ${t.name}: p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms`);
      }
    }
  } finally {
    await db.drop();
  }
}

const program = new Command()
  .name('dashboard')
  .description('Server-side time of the dashboard API at 1 M and 10 M metric points, and one 1 M-step series')
  .option('--runs <n>', 'runs at the largest size (100 per sweep)', positiveInt('runs'), 1000)
  .option('--steps <n>', 'steps per series', positiveInt('steps'), 500)
  .option('--requests <n>', 'requests per measurement', positiveInt('requests'), 200)
  .option('--long-steps <n>', 'steps of the single long series', positiveInt('long-steps'), 1_000_000)
  .option('--page-loads <n>', 'browser loads per page (after one warm-up)', positiveInt('page-loads'), 10)
  .option('--no-pages', 'skip the browser page timings')
  .option('--quick', `a quick check: ${QUICK.runs} runs, ${QUICK.requests} requests, a ${n(QUICK.longSteps)}-step series, ${QUICK.pageLoads} page loads (given options still win)`)
  .option('--server-url <url>', 'PostgreSQL server for a scratch database (default TEST_DATABASE_URL)')
  .action(async (opts: Omit<Options, 'serverUrl'> & { serverUrl?: string; quick?: boolean }, command: Command) => {
    const given = (name: string) => command.getOptionValueSource(name) === 'cli';
    const quick = opts.quick ? Object.fromEntries(Object.entries(QUICK).filter(([k]) => !given(k))) : {};
    await main({ ...opts, ...quick, serverUrl: opts.serverUrl ?? dbEnv().TEST_DATABASE_URL });
  });

runProgram(program);
