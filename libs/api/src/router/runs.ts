// The runs table (filters, sort by any column or latest metric, cursor paging) and a run's page:
// config, environment, tags, params, artifacts, status, error and how to resume, and its results
// (per-task scores with CIs, confusion matrices, ROC curves).
import { TASKS, type TaskName } from '@ovus/domain';
import { EXPORT_FORMATS, exportScoreTable, type ScoreTable } from '@ovus/table-export';
import { MAX_METRIC_COLUMNS, MAX_RUN_PAGE, RUN_SORT_COLUMNS, type RunRecord } from '@ovus/tracking';
import { z } from 'zod';
import { SCORE_TITLES } from '../analysis/backbone-table';
import { artifactDownloadPath } from '../artifact-download';
import { badRequest, memberProcedure, notFound, router, type ApiContext } from '../trpc';
import { averaging, id, isUuid, pageInput, runStatus, SCORE_NAMES, split, task } from '../schemas';

const metricKey = z.string().min(1).max(250);

export const runListInput = z.object({
  projectId: id.optional(),
  sweepId: id.optional(),
  statuses: z.array(runStatus).max(6).optional(),
  backbones: z.array(z.string().min(1).max(100)).max(50).optional(),
  /** Runs training exactly this set of tasks. */
  tasks: z.array(task).min(1).max(8).optional(),
  datasetVersionId: id.optional(),
  tag: z.object({ key: z.string().min(1).max(250), value: z.string().max(10_000).optional() }).optional(),
  /** Free text on the run's name (case-insensitive substring). */
  text: z.string().max(200).optional(),
  sort: z
    .discriminatedUnion('by', [
      z.object({ by: z.enum(RUN_SORT_COLUMNS), direction: z.enum(['asc', 'desc']).default('desc') }),
      z.object({ by: z.literal('metric'), metric: metricKey, direction: z.enum(['asc', 'desc']).default('desc') }),
    ])
    .optional(),
  /** Latest values of these series come with each row (the table's metric columns). */
  metrics: z.array(metricKey).max(MAX_METRIC_COLUMNS).optional(),
  ...pageInput(MAX_RUN_PAGE),
});

export async function requireRun(ctx: ApiContext, runId: string): Promise<RunRecord> {
  const run = isUuid(runId) ? await ctx.db.runs.get(runId) : null;
  if (!run) throw notFound('Run', runId);
  return run;
}

/** What a person can do about a run that did not finish. */
function resumeAdvice(run: RunRecord, hasCheckpoint: boolean): { command: string; explanation: string } | null {
  if (run.status === 'finished') return { command: `ovus rerun ${run.id}`, explanation: 'Trains a new run with the same config, dataset version and split.' };
  if (run.status === 'queued') return null;
  if (run.status === 'running') return null;
  if (hasCheckpoint) {
    return {
      command: `ovus train --resume ${run.id}`,
      explanation: 'Continues from its last checkpoint (epoch-level), keeping what it logged; `ovus rerun` hands it back to the workers instead.',
    };
  }
  return { command: `ovus rerun ${run.id}`, explanation: 'It stored no checkpoint, so it trains again from the start.' };
}

async function runResults(ctx: ApiContext, runId: string) {
  const run = await requireRun(ctx, runId);
  const [results, confusions, curves] = await Promise.all([
    ctx.db.results.taskResults([run.id]).then((m) => m.get(run.id) ?? []),
    ctx.db.results.confusionMatrices(run.id),
    ctx.db.results.rocCurves(run.id),
  ]);
  const aucOf = (task: string, s: string) => results.find((r) => r.task === task && r.split === s)?.auc ?? null;
  return {
    runId: run.id,
    taskResults: results.map((r) => ({
      task: r.task,
      title: TASKS[r.task as TaskName]?.title ?? r.task,
      split: r.split,
      averaging: r.averaging,
      accuracy: r.accuracy,
      precision: r.precision,
      recall: r.recall,
      f1: r.f1,
      auc: r.auc,
      support: r.support,
    })),
    confusionMatrices: confusions.map((m) => ({
      task: m.task,
      split: m.split,
      labels: [...m.labels],
      classNames: [...m.labels].map((code) => {
        const def = TASKS[m.task as TaskName];
        return def ? (def.classNames[def.codes.indexOf(code)] ?? String(code)) : String(code);
      }),
      counts: m.counts.map((row) => [...row]),
    })),
    rocCurves: curves.map((c) => ({ ...c, auc: aucOf(c.task, c.split) })),
  };
}

async function taskTable(ctx: ApiContext, input: { id: string; split: 'train' | 'validation' | 'test'; averaging: 'binary' | 'macro' | 'weighted' }) {
  const run = await requireRun(ctx, input.id);
  const results = ((await ctx.db.results.taskResults([run.id])).get(run.id) ?? []).filter((r) => r.split === input.split && r.averaging === input.averaging);
  const table: ScoreTable = {
    labelHeader: 'Task',
    metrics: SCORE_NAMES.map((s) => SCORE_TITLES[s]),
    caption: `${run.name}: every task, ${input.split} split, ${input.averaging} averaging (95% bootstrap intervals over cases)`,
    rows: results.map((r) => ({
      label: TASKS[r.task as TaskName]?.title ?? r.task,
      n: r.support,
      cells: SCORE_NAMES.map((s) => {
        const score = r[s];
        return score ? { mean: score.value, lo: score.lo, hi: score.hi } : null;
      }),
    })),
  };
  return { runId: run.id, name: run.name, split: input.split, averaging: input.averaging, table };
}

const taskTableInput = z.object({ id, split: split.default('test'), averaging: averaging.default('macro') });

export const runsRouter = router({
  /** The runs table. `total` counts every page; `nextCursor` is null on the last page. */
  list: memberProcedure.input(runListInput).query(async ({ ctx, input }) => {
    for (const [what, value] of [['Project', input.projectId], ['Sweep', input.sweepId], ['Dataset version', input.datasetVersionId]] as const) {
      if (value !== undefined && !isUuid(value)) throw notFound(what, value);
    }
    const sort = input.sort === undefined ? undefined : input.sort.by === 'metric' ? { metric: input.sort.metric, direction: input.sort.direction } : { column: input.sort.by, direction: input.sort.direction };
    return ctx.db.runs.page({ ...input, sort, cursor: input.cursor ?? null });
  }),

  /** The filter menus of the runs table: each filterable field's values over all runs (of a project), with counts. */
  facets: memberProcedure.input(z.object({ projectId: id.optional() })).query(async ({ ctx, input }) => {
    if (input.projectId !== undefined && !isUuid(input.projectId)) throw notFound('Project', input.projectId);
    if (input.projectId !== undefined && !(await ctx.db.projects.get(input.projectId))) throw notFound('Project', input.projectId);
    return ctx.db.runs.facets({ projectId: input.projectId });
  }),

  /** Everything on a run's page except the charts and results. */
  get: memberProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const run = await requireRun(ctx, input.id);
    const [tags, params, artifacts, latest] = await Promise.all([
      ctx.db.runs.tags(run.id),
      ctx.db.runs.params([run.id]).then((m) => m.get(run.id) ?? {}),
      ctx.db.artifacts.list(run.id),
      ctx.db.metrics.latest([run.id]).then((m) => m.get(run.id) ?? []),
    ]);
    const hasCheckpoint = artifacts.some((a) => a.kind === 'checkpoint');
    return {
      id: run.id,
      name: run.name,
      status: run.status,
      projectId: run.projectId,
      sweepId: run.sweepId,
      groupKey: run.groupKey,
      backbone: run.backbone,
      tasks: run.tasks,
      imageSize: run.imageSize,
      seed: run.seed,
      fold: run.fold,
      datasetVersionId: run.datasetVersionId,
      splitId: run.splitId,
      config: run.config,
      environment: { tfjsBackend: run.tfjsBackend, host: run.host, hardware: run.hardware, gitCommit: run.gitCommit, attempt: run.attempt },
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      heartbeatAt: run.heartbeatAt,
      durationMs: run.durationMs,
      errorText: run.errorText,
      resume: resumeAdvice(run, hasCheckpoint),
      tags,
      params,
      latestMetrics: latest.map((m) => ({ key: m.key, step: m.step, value: m.value, timestamp: m.timestamp })),
      artifacts: artifacts.map((a) => ({
        path: a.path,
        kind: a.kind,
        bytes: a.bytes,
        sha256: a.sha256,
        step: a.step,
        createdAt: a.createdAt,
        downloadPath: artifactDownloadPath(run.id, a.path),
      })),
    };
  }),

  /** Per-task scores with CIs, confusion matrices, ROC curves (with the task's AUC). */
  results: memberProcedure.input(z.object({ id })).query(({ ctx, input }) => runResults(ctx, input.id)),

  /** Per-task results of one run as a table (the paper's Table 3 layout) ready for export. */
  taskTable: memberProcedure.input(taskTableInput).query(({ ctx, input }) => taskTable(ctx, input)),

  exportTaskTable: memberProcedure.input(taskTableInput.extend({ format: z.enum(EXPORT_FORMATS) })).query(async ({ ctx, input }) => {
    const result = await taskTable(ctx, input);
    if (result.table.rows.length === 0) throw badRequest(`Run ${result.runId} has no results on the ${input.split} split with ${input.averaging} averaging.`);
    return exportScoreTable(result.table, input.format, `${result.name}-tasks-${input.split}`);
  }),
});
