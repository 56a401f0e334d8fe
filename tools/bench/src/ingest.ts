// Ingest benchmark: metric points per second through the TrackingClient into PostgreSQL, and the
// same rows through a raw COPY into the same table (same keys and indexes), in one run, with their
// ratio. Each measurement starts from an empty metric table; repeats are interleaved and the median
// is reported, because this machine is shared and single numbers wander.
//
//   npx tsx tools/bench/src/ingest.ts [--points 500000] [--repeats 3] [--server-url postgres://...]
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { positiveInt, runProgram } from './cli-options';
import { dbEnv } from '@ovus/db';
import { createTestDatabase } from '@ovus/db/testing';
import { ensureProject, PostgresTrackingStore, TrackingClient, type MetricPoint } from '@ovus/tracking';
import { copyPoints } from './ingest-copy';

interface Options {
  points: number;
  repeats: number;
  serverUrl: string;
  batch: number;
  concurrency: number;
}

const KEYS = ['train/loss', 'train/acc', 'train/f1', 'val/loss', 'val/acc', 'val/f1', 'lr', 'grad_norm'];

function makePoints(count: number): MetricPoint[] {
  const start = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    key: KEYS[i % KEYS.length] as string,
    step: Math.floor(i / KEYS.length),
    value: Math.sin(i) * 10,
    timestamp: start + i,
  }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const rate = (rows: number, ms: number) => (rows / ms) * 1000;
const fmt = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} rows/s`;

async function main(options: Options): Promise<void> {
  const db = await createTestDatabase({ serverUrl: options.serverUrl });
  const journalDir = await mkdtemp(join(tmpdir(), 'ovus-bench-journal-'));
  try {
    const project = await ensureProject(db.prisma, 'bench');
    const store = new PostgresTrackingStore(db);
    const points = makePoints(options.points);
    const newRun = async () =>
      (await store.createRun({ projectId: project.id, name: 'bench', backbone: 'none', tasks: [], imageSize: 0, seed: 0, config: {} })).run.id;
    const reset = () => db.pool.query('TRUNCATE metric, latest_metric');

    const clientRates: number[] = [];
    const copyRates: number[] = [];
    let replayNewRows = -1;
    let replayRate = 0;
    for (let repeat = 0; repeat < options.repeats; repeat += 1) {
      await reset();
      const client = new TrackingClient({
        store,
        journalDir,
        maxBatchPoints: options.batch,
        concurrency: options.concurrency,
        heartbeatIntervalMs: 0,
      });
      const run = await client.startRun({ projectId: project.id, name: 'bench', backbone: 'none', tasks: [], imageSize: 0, seed: 0, config: {} });
      const t0 = performance.now();
      for (const p of points) run.logMetric(p.key, p.value, p.step, p.timestamp);
      await client.flush();
      clientRates.push(rate(points.length, performance.now() - t0));
      if (client.stats().spilled > 0 || client.stats().failed > 0) throw new Error(`the client spilled or failed: ${JSON.stringify(client.stats())}`);

      if (repeat === 0) {
        // Idempotence stays intact at this speed: replaying every point adds no row.
        const before = await countRows(db.pool, run.id);
        const r0 = performance.now();
        for (let i = 0; i < points.length; i += options.batch) await store.logBatch(run.id, { metrics: points.slice(i, i + options.batch) });
        replayRate = rate(points.length, performance.now() - r0);
        replayNewRows = (await countRows(db.pool, run.id)) - before;
        if (before !== points.length) throw new Error(`expected ${points.length} rows after the client run, found ${before}`);
      }
      await client.close();

      await reset();
      const copyRun = await newRun();
      const c0 = performance.now();
      await copyPoints(db.pool, copyRun, points);
      copyRates.push(rate(points.length, performance.now() - c0));
      const copied = await countRows(db.pool, copyRun);
      if (copied !== points.length) throw new Error(`COPY stored ${copied} rows, expected ${points.length}`);
    }

    const client = median(clientRates);
    const copy = median(copyRates);
    console.log(`ingest benchmark: ${points.length.toLocaleString('en-US')} metric points, ${KEYS.length} keys, ${options.repeats} interleaved repeats`);
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`client batches: ${options.batch.toLocaleString('en-US')} points, ${options.concurrency} in flight`);
    console.log(`  TrackingClient -> PostgreSQL : ${fmt(client)}  (runs: ${clientRates.map((r) => Math.round(r)).join(', ')})`);
    console.log(`  raw COPY (pg-copy-streams)   : ${fmt(copy)}  (runs: ${copyRates.map((r) => Math.round(r)).join(', ')})`);
    console.log(`  ratio client / COPY          : ${(client / copy).toFixed(2)}  (target >= 0.70)`);
    console.log(`  replay of all points (logBatch, idempotent): ${fmt(replayRate)}, new rows: ${replayNewRows}`);
    console.log('  (the client also keeps latest_metric and checks every point; COPY does neither)');
  } finally {
    await db.drop();
    await rm(journalDir, { recursive: true, force: true });
  }
}

async function countRows(pool: import('pg').Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM metric WHERE run_id = $1', [runId]);
  return rows[0]?.n ?? 0;
}

const program = new Command()
  .name('ingest')
  .description('Metric ingest through the TrackingClient versus raw COPY into the same table')
  .option('--points <n>', 'metric points per measurement', positiveInt('points'), 500_000)
  .option('--repeats <n>', 'interleaved repeats (the median is reported)', positiveInt('repeats'), 3)
  .option('--batch <n>', 'points per logBatch call', positiveInt('batch'), 20_000)
  .option('--concurrency <n>', 'logBatch calls in flight', positiveInt('concurrency'), 2)
  .option('--server-url <url>', 'PostgreSQL server for a scratch database (default TEST_DATABASE_URL)')
  .action(async (opts: Omit<Options, 'serverUrl'> & { serverUrl?: string }) => {
    await main({ ...opts, serverUrl: opts.serverUrl ?? dbEnv().TEST_DATABASE_URL });
  });

runProgram(program);
