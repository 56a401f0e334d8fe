// ovus select: which clinical parameters matter. From a published counts table (association
// only), or from sweeps' stored runs (association, predictability, contribution, greedy path),
// stored as one analysis of the project's history. `ovus select plan` makes the ablation sweep.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CountsFileError, readCountsFile } from '@ovus/data';
import { CLINICAL_PARAMETERS, TASKS, type ClinicalParameter } from '@ovus/domain';
import { DEFAULT_THRESHOLDS, SelectionInputError, greedyForwardPath, type SelectionThresholds } from '@ovus/ml-selection';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import { collect } from '../cli/option-parsers';
import { expandSweep, loadSweepConfig, parseSource, type TrainConfig } from '../config';
import { openDatabase, submitSweep, type DatabaseHandle as TrackingDatabase } from '../runtime/services';
import { ablationYaml, planAblation } from '../selection/ablation-plan';
import { selectFromCounts } from '../selection/counts-analysis';
import { formatSelection } from '../selection/format-selection';
import { formatTaskTable } from '../selection/task-table';
import { newestPerReplicate, settingKey, toRunScores } from '../selection/run-keys';
import { analyzeSweeps, type LabelPart } from '../selection/sweep-analysis';
import { formatSweepPlan } from '../output/format-runs';
import { OVUS } from '../cli/command-line';

interface SelectOptions {
  fromCounts?: string;
  sweep: string[];
  project?: string;
  labels: string;
  threshold: string[];
  continuityCorrection: boolean;
  json?: boolean;
  table3Out?: string;
  backbone?: string;
}

interface PlanOptions {
  backbone?: string;
  parameters?: string;
  greedy?: boolean;
  with: string[];
  project?: string;
  name?: string;
  out?: string;
  submit?: boolean;
}

export function registerSelectCommand(program: Command, context: CliContext): void {
  const select = program
    .command('select')
    .description('rank the clinical parameters and select the key ones (association with malignancy, predictability, contribution)')
    .option('--from-counts <file>', "association only, from a per-class counts table laid out like the paper's (e.g. configs/paper-dataset-counts.csv)")
    .option('--sweep <id|name>', 'analyse the stored runs of this sweep (repeatable: e.g. the all-task sweep and its ablation sweep)', collect, [])
    .option('--project <name>', 'look sweep names up in this project')
    .option('--labels <part>', "association on 'training' cases (outside the runs' test parts) or 'all' cases", 'training')
    .option(
      '--threshold <name=value>',
      `change a rule threshold (repeatable): ${Object.entries(DEFAULT_THRESHOLDS).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      collect,
      [],
    )
    .option('--no-continuity-correction', "chi-square without Yates' correction on 2 × 2 tables")
    .option('--json', 'print the full result as JSON')
    .option('--table3-out <file>', 'also write a sweep training malignancy + the selected parameters (same setting and replicates as the first --sweep)')
    .option('--backbone <name>', 'with --table3-out: the setting to train when the sweep has several backbones')
    .addHelpText('after', '\nAn analysis of stored runs is stored once: the same inputs again store nothing and print the stored result.')
    .action(async (options: SelectOptions) => {
      const thresholds = parseThresholds(options.threshold);
      if (!options.fromCounts && options.sweep.length === 0) {
        throw new CliError('Say what to analyse: --from-counts <file>, or --sweep <id|name> (see --help).', EXIT_CODES.badConfig);
      }
      if (options.fromCounts && options.sweep.length > 0) throw new CliError('Give --from-counts or --sweep, not both.', EXIT_CODES.badConfig);
      if (options.labels !== 'training' && options.labels !== 'all') {
        throw new CliError(`--labels ${options.labels}: expected 'training' or 'all'.`, EXIT_CODES.badConfig);
      }
      try {
        if (options.fromCounts) {
          const statistics = await readCountsFile(resolve(options.fromCounts));
          const result = selectFromCounts(statistics, { thresholds, continuityCorrection: options.continuityCorrection });
          context.io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatSelection(result, { source: `the counts table ${options.fromCounts}` }));
          return;
        }
        const database = await openDatabase(context.env());
        try {
          const { gitCommit } = await import('../runtime/run-environment');
          const analysis = await analyzeSweeps(database, {
            sweeps: options.sweep,
            project: options.project,
            thresholds,
            continuityCorrection: options.continuityCorrection,
            labels: options.labels as LabelPart,
            codeVersion: await gitCommit(context.env().OVUS_GIT_COMMIT),
          });
          let table3 = '';
          if (options.table3Out) {
            const first = await database.sweeps.find(options.sweep[0], options.project);
            const configs = await storedConfigs(database, first!.id, options.backbone);
            const plan = planAblation({
              sourceName: first!.name,
              project: first!.project.name,
              configs,
              taskSets: [[...analysis.result.selected]],
              name: `${first!.name}-selected`,
            });
            await writeFile(resolve(options.table3Out), ablationYaml(plan, 'malignancy with the selected parameters (the Table 3 flow)'));
            table3 =
              `\nWrote ${options.table3Out}: malignancy + ${analysis.result.selected.join(', ') || 'no parameter'} × ${plan.replicates} replicate(s).\n` +
              `Train it: ${OVUS} sweep ${options.table3Out} && ${OVUS} worker --until-idle\n` +
              `Then print Table 3: ${OVUS} select table3 ${plan.name}\n`;
          }
          if (options.json) {
            context.io.out(`${JSON.stringify({ analysisId: analysis.analysis.id, created: analysis.created, ...analysis.result }, null, 2)}\n`);
            return;
          }
          const stored = analysis.created
            ? `Stored as analysis ${analysis.analysis.id} in ${database.displayUrl}.`
            : `Same inputs as analysis ${analysis.analysis.id} of ${analysis.analysis.createdAt.toISOString()}: nothing new stored.`;
          context.io.out(`${formatSelection(analysis.result, { source: analysis.source })}${analysis.missing.length ? `\n${analysis.missing.join('\n')}\n` : ''}\n${stored}\n${table3}`);
        } finally {
          await database.close();
        }
      } catch (error) {
        if (error instanceof CountsFileError || error instanceof SelectionInputError) throw new CliError(error.message, EXIT_CODES.badConfig);
        throw error;
      }
    });

  select
    .command('table3')
    .description("print a sweep's per-task accuracy, precision, recall and F1 with 95% intervals, laid out like the paper's Table 3")
    .argument('<sweep>', 'a stored sweep (id or name), e.g. the one --table3-out wrote')
    .option('--project <name>', 'look the sweep name up in this project')
    .action(async (ref: string, options: { project?: string }) => {
      const database = await openDatabase(context.env());
      try {
        const sweep = await database.sweeps.find(ref, options.project);
        if (!sweep) throw new CliError(`Unknown sweep '${ref}'. Submit one with \`${OVUS} sweep <config>\`.`, EXIT_CODES.badConfig);
        context.io.out(`Sweep ${sweep.name} (${sweep.id}), project ${sweep.project.name}\n${await formatTaskTable(database, sweep.id)}`);
      } finally {
        await database.close();
      }
    });

  select
    .command('plan')
    .description('make the ablation sweep the contribution part needs (write it, or submit it to the queue)')
    .argument('<sweep-or-config>', 'a stored sweep (id or name) or a sweep config file')
    .option('--backbone <name>', 'which setting to ablate when the source has several backbones')
    .option('--parameters <list>', 'comma-separated candidate parameters (default all seven)')
    .option('--greedy', "queue the greedy path's next step (from the stored runs of the sweep and --with sweeps) instead of the full ablation")
    .option('--with <sweep>', 'more stored sweeps whose runs the greedy path reads (repeatable)', collect, [])
    .option('--project <name>', 'look sweep names up in this project')
    .option('--name <name>', 'name of the generated sweep (default <source>-ablation, or <source>-greedy-<step>)')
    .option('--out <file>', 'write the sweep file here')
    .option('--submit', `store the sweep and queue its runs (then start workers: ${OVUS} worker --until-idle)`)
    .action(async (source: string, options: PlanOptions) => {
      const parameters = parseParameters(options.parameters);
      const fromFile = existsSync(source);
      const database = fromFile && !options.submit && !options.greedy ? null : await openDatabase(context.env());
      try {
        let configs: TrainConfig[];
        let project: string;
        let sourceName: string;
        if (fromFile) {
          const sweep = await loadSweepConfig(source);
          configs = sweep.runs.map((r) => r.config);
          project = sweep.project;
          sourceName = sweep.name;
        } else {
          const sweep = await database!.sweeps.find(source, options.project);
          if (!sweep) {
            throw new CliError(`Unknown sweep '${source}' (and no file of that name). Give a stored sweep's id or name, or a sweep config file.`, EXIT_CODES.badConfig);
          }
          configs = await storedConfigs(database!, sweep.id);
          project = sweep.project.name;
          sourceName = sweep.name;
        }
        configs = options.backbone ? configs.filter((c) => c.backbone === options.backbone) : configs;
        const settings = [...new Set(configs.map(settingKey))];
        if (settings.length === 0) throw new CliError(`${source} has no run${options.backbone ? ` with backbone ${options.backbone}` : ''} to ablate.`, EXIT_CODES.badConfig);
        if (settings.length > 1) {
          const backbones = [...new Set(configs.map((c) => c.backbone))];
          throw new CliError(
            `${source} has ${settings.length} settings (backbones ${backbones.join(', ')}); the ablation is made for one: add --backbone <name>` +
              (backbones.length < settings.length ? ' (several settings share a backbone: ablate from a sweep or config with one)' : '') + '.',
            EXIT_CODES.badConfig,
          );
        }
        let taskSets: ClinicalParameter[][] | undefined;
        let name = options.name;
        if (options.greedy) {
          const sweepRefs = [source, ...options.with];
          const ids = [];
          for (const ref of sweepRefs) {
            const found = await database!.sweeps.find(ref, options.project);
            if (!found) throw new CliError(`Unknown sweep '${ref}': --greedy reads stored runs.`, EXIT_CODES.badConfig);
            ids.push(found.id);
          }
          const runs = newestPerReplicate(await database!.selections.scoredRuns(ids)).map(toRunScores).filter((r) => r.setting === settings[0]);
          const path = greedyForwardPath(runs, parameters ?? CLINICAL_PARAMETERS);
          if (path.stop !== 'missing-runs' && path.stop !== 'no-start') {
            context.io.out(`The greedy path needs no more runs: it ${path.stop === 'no-gain' ? 'stopped (no parameter helps any more)' : 'added every parameter'} after ${path.steps.length - 1} step(s).\n`);
            return;
          }
          taskSets = path.missing.map((m) => [...m]);
          name ??= `${sourceName}-greedy-${path.steps.length}`;
        }
        const plan = planAblation({ sourceName, project, configs, parameters, taskSets, name });
        const yaml = ablationYaml(plan);
        const expanded = expandSweep(parseSource(options.out ?? `${plan.name}.yaml`, yaml));
        if (options.out) {
          await writeFile(resolve(options.out), yaml);
          context.io.out(`Wrote ${options.out}: ${plan.taskSets.length} task sets × ${plan.replicates} replicate(s) = ${expanded.runs.length} runs.\n`);
        } else if (!options.submit) {
          context.io.out(yaml);
        }
        context.io.out(formatSweepPlan(expanded));
        if (options.submit) {
          const submitted = await submitSweep(database!, expanded);
          context.io.out(
            `${submitted.created ? 'Submitted' : 'Already submitted'} sweep ${plan.name} (${submitted.sweepId}): ${submitted.queued.length} run(s) queued now, ` +
              `${submitted.alreadyQueued.length} already queued, ${submitted.finished.length} finished.\n` +
              `Train them with: ${OVUS} worker --until-idle\nThen: ${OVUS} select --sweep ${plan.name}\n`,
          );
        }
      } finally {
        await database?.close();
      }
    });
}

/** The run configs of a stored sweep, pinned to the dataset version each trained on ('latest' may name another one by now). */
async function storedConfigs(database: TrackingDatabase, sweepId: string, backbone?: string): Promise<TrainConfig[]> {
  const runs = await database.runs.list({ sweepId, limit: 500 });
  const configs: TrainConfig[] = [];
  for (const r of runs) {
    const config = r.config as TrainConfig;
    if (backbone && config.backbone !== backbone) continue;
    const version = r.datasetVersionId ? await database.datasets.get(r.datasetVersionId) : null;
    configs.push(version ? { ...config, dataset: { ...config.dataset, version: version.contentHash } } : config);
  }
  const settings = new Set(configs.map(settingKey));
  if (settings.size > 1) {
    throw new CliError(`The sweep has ${settings.size} settings (backbones ${[...new Set(configs.map((c) => c.backbone))].join(', ')}); choose one with --backbone <name>.`, EXIT_CODES.badConfig);
  }
  return configs;
}

function parseParameters(list: string | undefined): ClinicalParameter[] | undefined {
  if (list === undefined) return undefined;
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(CLINICAL_PARAMETERS as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) {
    throw new CliError(
      `--parameters ${list}: ${unknown.length ? `unknown ${unknown.join(', ')}` : 'empty'}; valid: ${CLINICAL_PARAMETERS.map((p) => `${p} (${TASKS[p].title})`).join(', ')}.`,
      EXIT_CODES.badConfig,
    );
  }
  return CLINICAL_PARAMETERS.filter((p) => names.includes(p));
}

function parseThresholds(pairs: readonly string[]): Partial<SelectionThresholds> {
  const out: Partial<Record<keyof SelectionThresholds, number>> = {};
  for (const pair of pairs) {
    const [name, value, ...rest] = pair.split('=');
    if (!(name in DEFAULT_THRESHOLDS)) {
      throw new CliError(`--threshold ${pair}: unknown threshold '${name}'; known: ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}.`, EXIT_CODES.badConfig);
    }
    const number = Number(value);
    if (rest.length > 0 || value === undefined || value === '' || !Number.isFinite(number)) {
      throw new CliError(`--threshold ${pair}: expected ${name}=<number>, e.g. ${name}=${DEFAULT_THRESHOLDS[name as keyof SelectionThresholds]}.`, EXIT_CODES.badConfig);
    }
    out[name as keyof SelectionThresholds] = number;
  }
  return out;
}
