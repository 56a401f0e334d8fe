// Compare 2–10 groups of runs (a group: the finished runs of a sweep that differ only in seed or
// fold, as the backbone table groups them): what differs in their configs, each score as mean ±
// 95% t-interval over the group's runs, the rule baselines' coverage, paired tests of each group
// against the first on the same test cases (runs paired per seed, matched cases pooled), and mean
// curves. Groups that share no test cases are refused by name.
import { TASKS, type TaskName } from '@ovus/domain';
import { MAX_CHART_POINTS, type CasePredictionInput, type MeanWithCi } from '@ovus/tracking';
import { z } from 'zod';
import { rowLabel, type GroupRun } from '../analysis/backbone-table';
import { groupConfigDiff, meanCurve, meanWithCi, pairGroups, type GroupMember } from '../analysis/compare-groups';
import { comparePaired } from '../analysis/paired-tests';
import { coverageOf, isRuleBaselineBackbone } from '../analysis/rule-baselines';
import { badRequest, memberProcedure, notFound, router, type ApiContext } from '../trpc';
import { averaging, id, isUuid, SCORE_NAMES, split, task, type ScoreName } from '../schemas';

export const groupRef = z.object({ sweepId: id, groupKey: z.string().trim().min(1).max(500) });
export type GroupRef = z.infer<typeof groupRef>;

const groupRefs = z
  .array(groupRef)
  .min(2, 'Compare needs at least 2 groups.')
  .max(10, 'Compare takes at most 10 groups at a time.')
  .refine((refs) => new Set(refs.map((r) => `${r.sweepId}:${r.groupKey}`)).size === refs.length, 'Each group may be named once.');

export { COVERAGE_KEY } from '../analysis/rule-baselines';

interface ResolvedGroup {
  ref: GroupRef;
  sweepName: string;
  backbone: string;
  label: string;
  runs: GroupMember[];
}

async function requireGroups(ctx: ApiContext, refs: readonly GroupRef[]): Promise<ResolvedGroup[]> {
  const sweeps = new Map<string, string>();
  for (const sweepId of new Set(refs.map((r) => r.sweepId))) {
    const sweep = isUuid(sweepId) ? await ctx.db.sweeps.get(sweepId) : null;
    if (!sweep) throw notFound('Sweep', sweepId);
    sweeps.set(sweepId, sweep.name);
  }
  return Promise.all(
    refs.map(async (ref) => {
      const runs = await ctx.db.runs.list({ sweepId: ref.sweepId, groupKey: ref.groupKey, status: 'finished', limit: 500 });
      const first = runs.at(-1);
      if (!first) throw notFound('Group of finished runs', `${ref.groupKey} in sweep ${ref.sweepId}`);
      // A rule group on a network's predicted parameters is named after that network's setting.
      const fromRun = isRuleBaselineBackbone(first.backbone) ? (first.config as { fromRun?: unknown } | null)?.fromRun : undefined;
      const from = typeof fromRun === 'string' && isUuid(fromRun) ? (await ctx.db.runs.briefs([fromRun]))[0] : undefined;
      const lookup = new Map<string, GroupRun>(from ? [[from.id, { id: from.id, name: from.name, seed: from.seed, fold: from.fold, config: from.config, backbone: from.backbone }]] : []);
      return {
        ref,
        sweepName: sweeps.get(ref.sweepId) as string,
        backbone: first.backbone,
        label: rowLabel(first.config, first.backbone, lookup),
        runs: runs.map((r) => ({ id: r.id, name: r.name, seed: r.seed, fold: r.fold, config: r.config })),
      };
    }),
  );
}

/** Names every group distinctly (two groups of one backbone in different sweeps say which sweep). */
function groupNames(groups: readonly ResolvedGroup[]): string[] {
  return groups.map((g) => (groups.filter((o) => o.label === g.label).length > 1 ? `${g.label} (${g.sweepName})` : g.label));
}

/** At most `max` points, evenly spaced, always with the last (runs whose downsampled steps differ can add up past the cap). */
function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const stride = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * stride)] as T);
}

export const compareGroupsRouter = router({
  get: memberProcedure
    .input(z.object({ groups: groupRefs, task: task.default('malignancy'), split: split.default('test'), averaging: averaging.default('macro') }))
    .query(async ({ ctx, input }) => {
      const definition = TASKS[input.task as TaskName];
      if (!definition) throw badRequest(`task: '${input.task}' is not a task; one of ${Object.keys(TASKS).join(', ')}`);
      const groups = await requireGroups(ctx, input.groups);
      const names = groupNames(groups);
      const runIds = groups.flatMap((g) => g.runs.map((r) => r.id));
      const [results, latest, predictions] = await Promise.all([
        ctx.db.results.taskResults(runIds),
        ctx.db.metrics.latest(runIds),
        ctx.db.predictions.forRuns(runIds, input.split, input.task),
      ]);
      const scoresOf = (g: ResolvedGroup) => {
        const rows = g.runs.flatMap((r) => (results.get(r.id) ?? []).filter((t) => t.task === input.task && t.split === input.split && t.averaging === input.averaging));
        const scores = Object.fromEntries(SCORE_NAMES.map((s) => [s, meanWithCi(rows.flatMap((row) => (row[s] ? [row[s].value] : [])))])) as Record<ScoreName, MeanWithCi | null>;
        return { scores, n: rows.length };
      };
      const isRule = (g: ResolvedGroup) => isRuleBaselineBackbone(g.backbone);
      const predictionsOf = (runId: string): readonly CasePredictionInput[] => predictions.get(runId) ?? [];
      const [reference, ...others] = groups as [ResolvedGroup, ...ResolvedGroup[]];
      const pairedTests = others.map((g, i) => {
        const pairing = pairGroups(g.runs, reference.runs, { a: names[i + 1] as string, b: names[0] as string });
        const test = comparePaired(
          pairing.pairs.map((p) => [predictionsOf(p.a.id), predictionsOf(p.b.id)] as const),
          {
            nameA: names[i + 1] as string,
            nameB: names[0] as string,
            codes: definition.codes,
            positiveCode: definition.positiveCode,
            split: input.split,
            ...(isRule(g) || isRule(reference) ? { hardVerdicts: { a: isRule(g), b: isRule(reference) } } : {}),
          },
        );
        return {
          group: g.ref,
          against: reference.ref,
          pairing: { by: pairing.by, sentence: pairing.sentence, pairs: pairing.pairs.map((p) => ({ runId: p.a.id, againstRunId: p.b.id, seed: p.a.seed, againstSeed: p.b.seed })) },
          ...test,
        };
      });
      return {
        task: input.task,
        split: input.split,
        averaging: input.averaging,
        groups: groups.map((g, i) => ({
          ...g.ref,
          sweepName: g.sweepName,
          name: names[i] as string,
          backbone: g.backbone,
          runs: g.runs.map((r) => ({ id: r.id, name: r.name, seed: r.seed, fold: r.fold })),
          ...scoresOf(g),
          /** A rule baseline (the IOTA Simple Rules), scored on the cases it decided. */
          ruleBaseline: isRule(g),
          /** Share of test cases decided with its 95% interval (rule baselines; null for networks, which decide every case). */
          coverage: isRule(g) ? coverageOf(g.runs.map((r) => r.id), latest) : null,
        })),
        configDiff: groupConfigDiff(groups.map((g) => g.runs.map((r) => r.config))),
        pairedTests,
        /** Set when no group shares test cases with the first: the tests above all say why. */
        refused: pairedTests.every((t) => t.refused !== null) ? `No group shares ${input.split} cases with ${names[0]}: ${pairedTests.map((t) => t.refused).join(' ')}` : null,
      };
    }),

  /** One series per group: the mean over its runs at each step (each run's series downsampled alike). */
  curves: memberProcedure
    .input(z.object({ groups: groupRefs, key: z.string().min(1).max(250), maxPoints: z.number().int().min(3).max(MAX_CHART_POINTS).default(MAX_CHART_POINTS) }))
    .query(async ({ ctx, input }) => {
      const groups = await requireGroups(ctx, input.groups);
      const names = groupNames(groups);
      return Promise.all(
        groups.map(async (g, i) => {
          const series = await Promise.all(g.runs.map((r) => ctx.db.metrics.series(r.id, input.key, { maxPoints: input.maxPoints })));
          // The series come as columns (the chart payload); the mean is taken over points.
          const points = meanCurve(series.map((s) => s.steps.map((step, j) => ({ step, value: s.values[j] as number, timestamp: s.timestamps[j] as number }))));
          return { ...g.ref, name: names[i] as string, runs: g.runs.length, points: thin(points, input.maxPoints) };
        }),
      );
    }),
});
