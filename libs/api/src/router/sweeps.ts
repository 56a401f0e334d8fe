// Sweeps with live progress, and a sweep's backbone table (the paper's Table 2, rule baselines
// beside the networks) with its exports, and a group's per-task results (the paper's Table 3).
import { PAPER_TABLE3, TASK_NAMES, TASKS, type TaskName } from '@ovus/domain';
import { EXPORT_FORMATS, exportScoreTable, type ScoreTable } from '@ovus/table-export';
import { MAX_LIST_PAGE } from '@ovus/tracking';
import { z } from 'zod';
import { backboneScoreTable, buildBackboneRows, rowLabel, SCORE_TITLES, type GroupRun } from '../analysis/backbone-table';
import { isRuleBaselineBackbone, PUBLISHED_RULES_TEXT } from '../analysis/rule-baselines';
import { memberProcedure, notFound, router } from '../trpc';
import type { ApiContext } from '../trpc';
import { averaging, id, isUuid, pageInput, runStatus, SCORE_NAMES, scoreName, split, sweepStatus, task } from '../schemas';

const tableInput = z.object({
  id,
  task: task.default('malignancy'),
  split: split.default('test'),
  averaging: averaging.default('macro'),
  /** Which score picks the best row (and which paired test marks the ties). */
  metric: scoreName.default('f1'),
  /** Which runs count (default: finished only). */
  statuses: z.array(runStatus).min(1).max(6).optional(),
});
type TableInput = z.infer<typeof tableInput>;

async function requireSweep(ctx: ApiContext, sweepId: string) {
  const sweep = isUuid(sweepId) ? await ctx.db.sweeps.detail(sweepId) : null;
  if (!sweep) throw notFound('Sweep', sweepId);
  return sweep;
}

const SPLIT_TITLE: Record<string, string> = { train: 'training', validation: 'validation', test: 'test' };

async function backboneTable(ctx: ApiContext, input: TableInput) {
  // The sweep and its groups at once (one round trip less); an unknown id finds no groups.
  const [sweep, groups] = await Promise.all([
    requireSweep(ctx, input.id),
    isUuid(input.id) ? ctx.db.sweeps.summarize(input.id, { task: input.task, split: input.split, averaging: input.averaging, statuses: input.statuses }) : [],
  ]);
  const runIds = groups.flatMap((g) => g.runIds);
  const ruleRunIds = groups.filter((g) => isRuleBaselineBackbone(g.backbone)).flatMap((g) => g.runIds);
  const [briefs, predictions, latest] = await Promise.all([
    ctx.db.runs.briefs(runIds),
    ctx.db.predictions.forRuns(runIds, input.split, input.task),
    ruleRunIds.length > 0 ? ctx.db.metrics.latest(ruleRunIds) : new Map(),
  ]);
  const runs = new Map<string, GroupRun>(briefs.map((r) => [r.id, { id: r.id, name: r.name, seed: r.seed, fold: r.fold, config: r.config, backbone: r.backbone }]));
  const rows = buildBackboneRows(groups, runs, predictions, { task: input.task, split: input.split, metric: input.metric }, latest);
  const notCounted = sweep.progress.total - runIds.length;
  const taskTitle = TASKS[input.task as TaskName]?.title ?? input.task;
  const caption = `${sweep.name}: ${taskTitle}, ${SPLIT_TITLE[input.split]} split, ${input.averaging} averaging; best by ${SCORE_TITLES[input.metric]}`;
  const notes = [
    'Mean ± half-width of the 95% t-interval over the runs of each group (seeds/folds).',
    input.metric === 'auc'
      ? "Marked rows: DeLong's test on the same test cases cannot tell their AUC from the best row's (α = 0.05)."
      : "Marked rows: McNemar's test on the same test cases (right/wrong per case) cannot tell them from the best row (α = 0.05).",
  ];
  if (rows.some((r) => r.ruleBaseline)) {
    notes.push(
      'IOTA Simple Rules rows are rule baselines (ovus iota), not networks: scored on the test cases they decided (coverage: the share decided, with its 95% interval), and never the best row — on labelled parameters they are an upper bound. ' +
        "Their paired test against the best network is McNemar's on the cases they decided; DeLong's test does not apply to hard verdicts.",
      `Published for contrast: ${PUBLISHED_RULES_TEXT}.`,
    );
  }
  if (notCounted > 0) notes.push(`${notCounted} of ${sweep.progress.total} runs are not counted (not finished, or no result for this task, split and averaging).`);
  return {
    sweep: { id: sweep.id, name: sweep.name, projectId: sweep.projectId, status: sweep.status },
    task: input.task,
    split: input.split,
    averaging: input.averaging,
    metric: input.metric,
    rows,
    counted: runIds.length,
    notCounted,
    notes,
    /** Ready for @ovus/table-export (CSV, Markdown, LaTeX): the same bytes as `sweeps.export`. */
    table: backboneScoreTable(rows, caption),
  };
}

const groupInput = z.object({ id, groupKey: z.string().min(1).max(500).nullable(), split: split.default('test'), averaging: averaging.default('macro') });

async function groupTaskTable(ctx: ApiContext, input: z.infer<typeof groupInput>) {
  const sweep = await requireSweep(ctx, input.id);
  const perTask = await Promise.all(
    TASK_NAMES.map(async (name) => {
      const groups = await ctx.db.sweeps.summarize(sweep.id, { task: name, split: input.split, averaging: input.averaging });
      return { name, group: groups.find((g) => g.groupKey === input.groupKey) ?? null };
    }),
  );
  const found = perTask.filter((t) => t.group !== null);
  if (found.length === 0) throw notFound('Group of runs', `${input.groupKey ?? '(none)'} in sweep ${sweep.id}`);
  const rows = found.map(({ name, group }) => ({
    task: name,
    title: TASKS[name].title,
    n: group?.n ?? 0,
    runIds: group?.runIds ?? [],
    scores: { accuracy: group?.accuracy ?? null, precision: group?.precision ?? null, recall: group?.recall ?? null, f1: group?.f1 ?? null, auc: group?.auc ?? null },
    paper: PAPER_TABLE3[name] ? { ...PAPER_TABLE3[name] } : null,
  }));
  const first = rows[0]?.runIds[0];
  const run = first ? await ctx.db.runs.get(first) : null;
  const label = run ? rowLabel(run.config, run.backbone) : (input.groupKey ?? 'group');
  const table: ScoreTable = {
    labelHeader: 'Task',
    metrics: SCORE_NAMES.map((s) => SCORE_TITLES[s]),
    caption: `${label}: every task, ${SPLIT_TITLE[input.split]} split, ${input.averaging} averaging (mean ± 95% t-interval over ${rows[0]?.n ?? 0} runs)`,
    rows: rows.map((r) => ({
      label: r.title,
      n: r.n,
      cells: SCORE_NAMES.map((s) => (r.scores[s] ? { mean: r.scores[s].mean, lo: r.scores[s].lo, hi: r.scores[s].hi } : null)),
      paper: r.paper ? [r.paper.accuracy, r.paper.precision, r.paper.recall, r.paper.f1, null] : null,
    })),
  };
  return { sweep: { id: sweep.id, name: sweep.name }, groupKey: input.groupKey, label, split: input.split, averaging: input.averaging, rows, table };
}

export const sweepsRouter = router({
  /** Newest first, with live progress (runs per status, ETA). */
  list: memberProcedure
    .input(z.object({ projectId: id.optional(), statuses: z.array(sweepStatus).max(5).optional(), ...pageInput(MAX_LIST_PAGE) }))
    .query(async ({ ctx, input }) => {
      if (input.projectId !== undefined && !isUuid(input.projectId)) throw notFound('Project', input.projectId);
      return ctx.db.sweeps.list({ projectId: input.projectId, statuses: input.statuses, limit: input.limit, cursor: input.cursor });
    }),

  /** With its config and live progress. */
  get: memberProcedure.input(z.object({ id })).query(({ ctx, input }) => requireSweep(ctx, input.id)),

  /** The backbone table: groups of runs, mean ± CI and n, best marked, ties by paired tests, the paper's figures. */
  backboneTable: memberProcedure.input(tableInput).query(({ ctx, input }) => backboneTable(ctx, input)),

  /** The backbone table as a file: CSV, Markdown or LaTeX (booktabs), byte-stable. */
  exportBackboneTable: memberProcedure
    .input(tableInput.extend({ format: z.enum(EXPORT_FORMATS) }))
    .query(async ({ ctx, input }) => {
      const result = await backboneTable(ctx, input);
      return exportScoreTable(result.table, input.format, `${result.sweep.name}-${input.task}-${input.split}`);
    }),

  /** One group's results on every task (the paper's Table 3 and its per-parameter figure). */
  groupTasks: memberProcedure.input(groupInput).query(({ ctx, input }) => groupTaskTable(ctx, input)),

  exportGroupTasks: memberProcedure.input(groupInput.extend({ format: z.enum(EXPORT_FORMATS) })).query(async ({ ctx, input }) => {
    const result = await groupTaskTable(ctx, input);
    return exportScoreTable(result.table, input.format, `${result.label}-tasks-${input.split}`);
  }),
});
