// ovus demo: the whole loop on a small scale — phantom data, import, the demo sweep on all cores,
// the backbone table, then the dashboard served on the demo's database until Ctrl-C. Meant to
// finish training in minutes on a 2-core CPU. Running it again reuses the imported dataset and
// the stored sweep: nothing is trained twice, the table is printed again.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@ovus/tracking';
import { loadSweepConfig } from '../config';
import type { CliContext } from '../cli/context';
import { checkDataset, synthesizeDataset } from '../runtime/datasets';
import { openDatabase, printSweepSummary, storeDatasetVersion, submitSweep } from '../runtime/services';
import { runWorkers } from '../worker/run-workers';
import { formatSweepPlan } from '../output/format-runs';
import { progressDisplayFor } from '../cli/progress-for';
import { resolveConcurrency } from '../worker/resolve-concurrency';
import { serveDashboard } from '../runtime/demo-dashboard';
import { prepareLocalSignIn } from '../runtime/demo-sign-in';

export const DEMO_CONFIG = fileURLToPath(new URL('../../../../configs/demo.yaml', import.meta.url));

interface DemoOptions {
  dashboard: boolean;
  port: string;
  out?: string;
}

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('synthesise phantom data, import it, run the demo sweep (configs/demo.yaml) and print the backbone table')
    .option('--no-dashboard', 'end after the backbone table instead of serving the dashboard (CI)')
    .option('--port <port>', 'the port the dashboard listens on', process.env.PORT ?? '3000')
    .option('--out <dir>', 'where to write the phantom (default: <data folder>/demo-phantom)')
    .action(async (options: DemoOptions) => {
      const started = Date.now();
      const out = context.io.out;
      // Check the sweep before spending time on data.
      const sweep = await loadSweepConfig(DEMO_CONFIG);
      out(formatSweepPlan(sweep));
      const env = context.env();
      const database = await openDatabase(env);
      try {
        out(`Database: ${database.displayUrl}${database.embedded ? ' (embedded PostgreSQL; set DATABASE_URL to use another server)' : ''}\n`);
        const phantomDir = resolve(options.out ?? join(database.dataDir, 'demo-phantom'));
        const phantom = await synthesizeDataset({ outDir: phantomDir, cases: 257, seed: 0, size: 96 });
        const dataset = await checkDataset(phantom.manifestPath, { name: sweep.runs[0].config.dataset.name }, out);
        const version = await storeDatasetVersion(database, dataset);
        out(`${version.created ? 'Imported' : 'Reusing'} dataset '${dataset.name}' version ${dataset.contentHash.slice(0, 12)} (${phantomDir}).\n`);
        const submitted = await submitSweep(database, sweep);
        const pending = submitted.runIds.length - submitted.finished.length;
        if (!submitted.created) {
          out(`The demo sweep was submitted before (sweep ${submitted.sweepId}): ${submitted.finished.length} of ${submitted.runIds.length} runs finished, ${submitted.queued.length} queued now.\n`);
        } else {
          out(`Submitted sweep ${submitted.sweepId}: ${submitted.queued.length} runs queued.\n`);
        }
        if (pending > 0) {
          // One worker per core until the demo's runs are done (the wasm backend uses one core each).
          await runWorkers({
            count: await resolveConcurrency('auto', 'auto'),
            database,
            host: env.OVUS_HOST ?? hostname(),
            backend: 'auto',
            untilIdle: true,
            graceSeconds: 10,
            heartbeatSeconds: DEFAULT_HEARTBEAT_INTERVAL_MS / 1000,
            queue: { leaseSeconds: 120 },
            context,
            display: () => progressDisplayFor(context),
          });
        } else {
          out('Nothing left to train.\n');
        }
        out(`\nBackbone table of sweep '${sweep.name}' (${submitted.sweepId}):\n`);
        await printSweepSummary(database, submitted.sweepId, out);
        out(
          `\nResults are stored in ${database.displayUrl}; data folder ${database.dataDir}. ` +
            `Demo took ${Math.round((Date.now() - started) / 1000)} s.\n`,
        );
        const signIn = await prepareLocalSignIn(database, options.port);
        out(signIn.message);
        if (options.dashboard) {
          await serveDashboard({
            databaseUrl: database.url,
            port: options.port,
            sweepId: submitted.sweepId,
            runIds: submitted.runIds,
            datasetVersionId: version.id,
            env: signIn.env,
            out,
          });
        }
      } finally {
        await database.close();
      }
    });
}
