// Compare 2–10 runs: what differs in their configs, their scores side by side with CIs, and
// paired tests on the same test cases (McNemar on predictions, DeLong on the AUC) of each run
// against the first, with a plain sentence. Runs that share no test cases are refused by name.
// A rule baseline (`ovus iota`) compares beside networks: its coverage is shown, and its tests run
// on the cases the rules decided (McNemar only: hard verdicts have no AUC).
import { TASKS, type TaskName } from '@ovus/domain';
import { MAX_CHART_POINTS } from '@ovus/tracking';
import { z } from 'zod';
import { configDiff } from '../analysis/config-diff';
import { comparePaired } from '../analysis/paired-tests';
import { coverageOf, isRuleBaselineBackbone } from '../analysis/rule-baselines';
import { badRequest, memberProcedure, notFound, router, type ApiContext } from '../trpc';
import { id, isUuid, split, task } from '../schemas';

const runIds = z
  .array(id)
  .min(2, 'Compare needs at least 2 runs.')
  .max(10, 'Compare takes at most 10 runs at a time.')
  .refine((ids) => new Set(ids).size === ids.length, 'Each run may be named once.');

async function requireRuns(ctx: ApiContext, ids: readonly string[]) {
  for (const runId of ids) if (!isUuid(runId)) throw notFound('Run', runId);
  const briefs = await ctx.db.runs.briefs(ids);
  const byId = new Map(briefs.map((b) => [b.id, b]));
  const missing = ids.filter((runId) => !byId.has(runId));
  if (missing.length > 0) throw notFound(missing.length === 1 ? 'Run' : 'Runs', missing.join(', '));
  return ids.map((runId) => byId.get(runId) as NonNullable<ReturnType<typeof byId.get>>);
}

export const compareRouter = router({
  runs: memberProcedure
    .input(z.object({ runIds, task: task.default('malignancy'), split: split.default('test') }))
    .query(async ({ ctx, input }) => {
      const runs = await requireRuns(ctx, input.runIds);
      const ids = runs.map((r) => r.id);
      const [results, latest, predictions] = await Promise.all([
        ctx.db.results.taskResults(ids),
        ctx.db.metrics.latest(ids),
        ctx.db.predictions.forRuns(ids, input.split, input.task),
      ]);
      const definition = TASKS[input.task as TaskName];
      if (!definition) throw badRequest(`task: '${input.task}' is not a task; one of ${Object.keys(TASKS).join(', ')}`);
      const [reference, ...others] = runs;
      const isRule = (run: (typeof runs)[number]) => isRuleBaselineBackbone(run.backbone);
      const pairedTests = others.map((run) => ({
        runId: run.id,
        againstRunId: (reference as (typeof runs)[number]).id,
        ...comparePaired([[predictions.get(run.id) ?? [], predictions.get((reference as (typeof runs)[number]).id) ?? []]], {
          nameA: run.name,
          nameB: (reference as (typeof runs)[number]).name,
          codes: definition.codes,
          positiveCode: definition.positiveCode,
          split: input.split,
          ...(isRule(run) || isRule(reference as (typeof runs)[number]) ? { hardVerdicts: { a: isRule(run), b: isRule(reference as (typeof runs)[number]) } } : {}),
        }),
      }));
      // Latest values side by side for the series every run has.
      const keys = [...new Set(ids.flatMap((runId) => (latest.get(runId) ?? []).map((m) => m.key)))].sort();
      return {
        task: input.task,
        split: input.split,
        runs: runs.map((r) => ({
          id: r.id,
          name: r.name,
          status: r.status,
          backbone: r.backbone,
          seed: r.seed,
          fold: r.fold,
          groupKey: r.groupKey,
          /** A rule baseline (the IOTA Simple Rules), scored on the cases it decided. */
          ruleBaseline: isRule(r),
          /** Share of test cases decided with its Wilson 95% interval (rule baselines; null for networks, which decide every case). */
          coverage: isRule(r) ? coverageOf([r.id], latest) : null,
        })),
        configDiff: configDiff(runs.map((r) => r.config)),
        taskResults: ids.map((runId) => ({
          runId,
          results: (results.get(runId) ?? []).map((r) => ({
            task: r.task,
            split: r.split,
            averaging: r.averaging,
            accuracy: r.accuracy,
            precision: r.precision,
            recall: r.recall,
            f1: r.f1,
            auc: r.auc,
            support: r.support,
          })),
        })),
        latestMetrics: keys.map((key) => ({
          key,
          values: ids.map((runId) => (latest.get(runId) ?? []).find((m) => m.key === key)?.value ?? null),
        })),
        pairedTests,
        /** Set when no pair of runs shares test cases: the tests above all say why. */
        refused: pairedTests.every((t) => t.refused !== null) ? `No run shares ${input.split} cases with ${(reference as (typeof runs)[number]).name}: ${pairedTests.map((t) => t.refused).join(' ')}` : null,
      };
    }),

  /** One series of every run, downsampled alike, for overlaid curves. */
  curves: memberProcedure
    .input(z.object({ runIds, key: z.string().min(1).max(250), maxPoints: z.number().int().min(3).max(MAX_CHART_POINTS).default(MAX_CHART_POINTS) }))
    .query(async ({ ctx, input }) => {
      const runs = await requireRuns(ctx, input.runIds);
      return Promise.all(
        runs.map(async (run) => ({ runId: run.id, name: run.name, ...(await ctx.db.metrics.series(run.id, input.key, { maxPoints: input.maxPoints })) })),
      );
    }),
});
