// ovus select --sweep: the full analysis from stored data — the labels of the dataset version the
// runs trained on (without their test part), the runs' scores — stored idempotently as one
// analysis of the project's history.
import { canonicalJson, sha256Hex } from '@ovus/data';
import { CLINICAL_PARAMETERS, TASKS, type ClinicalParameter } from '@ovus/domain';
import {
  ALL_TASKS_KEY,
  findingSummaries,
  MALIGNANCY_ONLY_KEY,
  runSelection,
  tablesFromCases,
  taskSetKey,
  type RunScores,
  type SelectionResult,
  type SelectionThresholds,
} from '@ovus/ml-selection';
import type { StoredSelection, TrackingDatabase } from '@ovus/tracking';
import { CliError, EXIT_CODES } from '../cli/errors';
import { newestPerReplicate, toRunScores } from './run-keys';
import { OVUS } from '../cli/command-line';

export type LabelPart = 'training' | 'all';

export interface SweepAnalysisOptions {
  sweeps: readonly string[];
  project?: string;
  thresholds?: Partial<SelectionThresholds>;
  continuityCorrection?: boolean;
  /** 'training' (default): cases outside the runs' test parts; 'all': every case of the version. */
  labels?: LabelPart;
  codeVersion: string | null;
}

export interface SweepAnalysis {
  result: SelectionResult;
  analysis: StoredSelection;
  created: boolean;
  source: string;
  /** Runs the contribution or greedy parts would need, as task sets, with the command that makes them. */
  missing: string[];
}

export async function analyzeSweeps(database: TrackingDatabase, options: SweepAnalysisOptions): Promise<SweepAnalysis> {
  const sweeps = [];
  for (const ref of options.sweeps) {
    const sweep = await database.sweeps.find(ref, options.project);
    if (!sweep) {
      const recent = await database.sweeps.recent(8);
      throw new CliError(
        `Unknown sweep '${ref}'${options.project ? ` in project ${options.project}` : ''}. ` +
          (recent.length ? `Recent sweeps: ${recent.map((s) => `${s.name} (${s.id}, project ${s.project.name})`).join('; ')}.` : `No sweep is stored yet: submit one with \`${OVUS} sweep <config>\`.`),
        EXIT_CODES.badConfig,
      );
    }
    sweeps.push(sweep);
  }
  const projects = new Set(sweeps.map((s) => s.projectId));
  if (projects.size > 1) throw new CliError(`The sweeps belong to different projects (${[...new Set(sweeps.map((s) => s.project.name))].join(', ')}); analyse one project at a time.`, EXIT_CODES.badConfig);
  const names = sweeps.map((s) => `${s.name} (${s.id})`).join(' + ');

  const stored = newestPerReplicate(await database.selections.scoredRuns(sweeps.map((s) => s.id)));
  const scored = stored.filter((r) => r.results.malignancy);
  if (scored.length === 0) {
    throw new CliError(
      `Sweep ${names} has no finished run with test scores yet. Train its queued runs first: ${OVUS} worker --until-idle`,
      EXIT_CODES.refused,
    );
  }
  const multiTask = scored.filter((r) => r.tasks.length > 1 && r.tasks.some((t) => t !== 'malignancy'));
  if (multiTask.length === 0) {
    throw new CliError(
      `Sweep ${names} has no finished multi-task run (malignancy with clinical parameters): predictability cannot be measured. ` +
        `Run an all-task sweep (tasks: all, e.g. configs/demo.yaml), or queue the ablation runs with \`${OVUS} select plan <sweep>\` and train them with \`${OVUS} worker --until-idle\`.`,
      EXIT_CODES.refused,
    );
  }
  const versions = [...new Set(scored.map((r) => r.datasetVersionId).filter((v): v is string => v !== null))];
  if (versions.length !== 1) {
    throw new CliError(
      versions.length === 0
        ? `The runs of ${names} name no dataset version; the association part needs the labels they trained on.`
        : `The runs of ${names} trained on ${versions.length} dataset versions (${versions.join(', ')}); analyse the sweeps of one version at a time.`,
      EXIT_CODES.refused,
    );
  }
  const datasetVersionId = versions[0];
  const labels = options.labels ?? 'training';
  const cases = await database.datasets.cases(datasetVersionId);
  const testIds = new Set<string>();
  if (labels === 'training') {
    for (const splitId of new Set(scored.map((r) => r.splitId).filter((s): s is string => s !== null))) {
      const split = await database.splits.get(splitId);
      for (const id of split?.parts.test ?? []) testIds.add(id);
    }
  }
  const labelled = cases.filter((c) => !testIds.has(c.caseId));
  const tables = tablesFromCases(labelled.map((c) => ({ labels: c.labels, malignancy: c.malignancy })));
  // Per-case malignancy predictions on the test part, where the runs stored them: contribution
  // pairs are then also compared on the same cases (McNemar, DeLong).
  const predictions = await database.predictions.forRuns(scored.map((r) => r.id), 'test', 'malignancy');
  const runs = scored.map((r) => {
    const cases = (predictions.get(r.id) ?? []).filter((c) => c.label !== null && c.probabilities.length === 2);
    const base = toRunScores(r);
    return cases.length
      ? { ...base, malignancyPredictions: cases.map((c) => ({ caseId: c.caseId, yTrue: c.label as number, yPred: c.predicted, score: c.probabilities[1] })) }
      : base;
  });
  const result = runSelection({ tables, runs, thresholds: options.thresholds, association: { continuityCorrection: options.continuityCorrection ?? true } });

  const config = { thresholds: result.thresholds, continuityCorrection: result.continuityCorrection, labels, labelledCases: labelled.length, excludedTestCases: cases.length - labelled.length };
  const contentHash = sha256Hex(
    canonicalJson({ rule: result.rule, config, datasetVersionId, tables, runs: [...runs].sort((a, b) => a.runId.localeCompare(b.runId)), result }),
  );
  const { analysis, created } = await database.selections.save({
    projectId: sweeps[0].projectId,
    sweepId: sweeps[0].id,
    sweepIds: sweeps.map((s) => s.id),
    datasetVersionId,
    method: result.rule,
    config,
    selected: result.selected,
    contentHash,
    runIds: result.runIds,
    codeVersion: options.codeVersion,
    result,
    findings: findingSummaries(result),
  });
  const source =
    `sweep ${names}: ${scored.length} scored run(s), labels of dataset version ${datasetVersionId.slice(0, 8)} ` +
    `(${labels === 'training' ? `${labelled.length} cases outside the runs' test parts` : `all ${labelled.length} cases`})`;
  // Report the stored result: an earlier identical analysis is returned as it was stored.
  return { result: analysis.result as unknown as SelectionResult, analysis, created, source, missing: missingAblations(runs, sweeps[0].name) };
}

/** Task sets the contribution part lacks in each setting that has all-task runs. */
function missingAblations(runs: readonly RunScores[], sweepName: string): string[] {
  const present = new Map<string, Set<string>>();
  for (const run of runs) {
    const sets = present.get(run.setting) ?? new Set<string>();
    sets.add(taskSetKey(run.tasks));
    present.set(run.setting, sets);
  }
  const wanted = [
    ALL_TASKS_KEY,
    MALIGNANCY_ONLY_KEY,
    ...CLINICAL_PARAMETERS.map((p) => taskSetKey([...CLINICAL_PARAMETERS.filter((q) => q !== p), 'malignancy'])),
    ...CLINICAL_PARAMETERS.map((p) => taskSetKey([p, 'malignancy'])),
  ];
  const lacking = new Set<string>();
  for (const sets of present.values()) for (const key of wanted) if (!sets.has(key)) lacking.add(key);
  if (lacking.size === 0) return [];
  return [
    `${lacking.size} ablation task set(s) have no run: ${[...lacking].slice(0, 4).map(describeSet).join('; ')}${lacking.size > 4 ? '; …' : ''}.`,
    `Queue them with: ${OVUS} select plan ${sweepName} --submit   (then: ${OVUS} worker --until-idle)`,
  ];
}

function describeSet(key: string): string {
  const tasks = key.split('+');
  const params = tasks.filter((t) => t !== 'malignancy') as ClinicalParameter[];
  if (key === MALIGNANCY_ONLY_KEY) return 'malignancy alone';
  if (key === ALL_TASKS_KEY) return 'all eight heads';
  if (params.length === CLINICAL_PARAMETERS.length - 1) {
    const gone = CLINICAL_PARAMETERS.find((p) => !params.includes(p))!;
    return `all but ${TASKS[gone].title}`;
  }
  return `malignancy + ${params.map((p) => TASKS[p].title).join(' + ')}`;
}

