// ovus demo: the whole loop on a small scale — phantom data, import, the demo sweep on all cores,
// and the backbone table. Meant to finish in minutes on a 2-core CPU.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadSweepConfig } from '../config';
import type { CliContext } from '../cli/context';
import { checkDataset, synthesizeDataset } from '../runtime/datasets';
import { openDatabase, printSweepSummary, storeDatasetVersion, submitSweep } from '../runtime/services';
import { runWorkers } from '../worker/run-workers';
import { formatSweepPlan } from './format-runs';
import { progressDisplayFor } from './progress-for';
import { resolveConcurrency } from './resolve-concurrency';

export const DEMO_CONFIG = fileURLToPath(new URL('../../../../configs/demo.yaml', import.meta.url));

interface DemoOptions {
  dashboard: boolean;
  out: string;
}

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('synthesise phantom data, import it, run the demo sweep (configs/demo.yaml) and print the backbone table')
    .option('--no-dashboard', 'do not start the dashboard afterwards')
    .option('--out <dir>', 'where to write the phantom', 'data/demo-phantom')
    .action(async (options: DemoOptions) => {
      // Check the sweep before spending minutes on data.
      const sweep = await loadSweepConfig(DEMO_CONFIG);
      context.io.out(formatSweepPlan(sweep));
      const database = await openDatabase(context.env());
      try {
        const phantom = await synthesizeDataset({ outDir: resolve(options.out), cases: 257, seed: 0, size: 96 });
        const dataset = await checkDataset(phantom.manifestPath, sweep.runs[0].config.dataset.name, context.io.out);
        await storeDatasetVersion(database, dataset);
        const submitted = await submitSweep(database, sweep);
        // One worker per core until the demo's runs are done (the wasm backend uses one core each).
        await runWorkers({
          count: await resolveConcurrency('auto', 'auto'),
          database,
          host: context.env().OVUS_HOST ?? hostname(),
          backend: 'auto',
          untilIdle: true,
          graceSeconds: 10,
          leaseSeconds: 120,
          context,
          display: () => progressDisplayFor(context),
        });
        await printSweepSummary(database, submitted.sweepId, context.io.out);
        if (options.dashboard) context.io.out('Open the dashboard with: npm run dashboard\n');
      } finally {
        await database.close();
      }
    });
}
