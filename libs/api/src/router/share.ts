// What a clinician's share link opens: one run, sweep or selection analysis, worded for a
// clinician (@ovus/domain's shared views). The target comes from the token alone — there is no
// input naming a run or sweep to widen it — and the answer carries scores and counts only: no case
// or patient ids, images, configs, artifacts or run names.
import { composeRunView, composeSelectionView, composeSweepView, RESEARCH_CAVEAT, type SelectionCriterion, type SharedView, type SweepModelRow, type TaskScoreRow } from '@ovus/domain';
import type { TaskResultRecord } from '@ovus/tracking';
import { router, shareProcedure, type ApiContext } from '../trpc';

function testRows(results: readonly TaskResultRecord[]): TaskScoreRow[] {
  // Accuracy and AUC do not depend on the averaging; one row per task (macro preferred).
  const byTask = new Map<string, TaskResultRecord>();
  for (const r of results) {
    if (r.split !== 'test') continue;
    if (!byTask.has(r.task) || r.averaging === 'macro') byTask.set(r.task, r);
  }
  return [...byTask.values()].map((r) => ({
    task: r.task,
    accuracy: r.accuracy.value,
    accuracyLo: r.accuracy.lo,
    accuracyHi: r.accuracy.hi,
    auc: r.auc?.value ?? null,
    aucLo: r.auc?.lo ?? null,
    aucHi: r.auc?.hi ?? null,
    support: r.support,
  }));
}

async function runView(ctx: ApiContext, runId: string): Promise<SharedView | null> {
  const run = await ctx.db.runs.get(runId);
  if (!run) return null;
  const results = (await ctx.db.results.taskResults([run.id])).get(run.id) ?? [];
  return composeRunView({ backbone: run.backbone, finished: run.status === 'finished' }, testRows(results));
}

async function sweepView(ctx: ApiContext, sweepId: string): Promise<SharedView | null> {
  if (!(await ctx.db.sweeps.get(sweepId))) return null;
  const groups = await ctx.db.sweeps.summarize(sweepId, { task: 'malignancy', split: 'test', averaging: 'macro' });
  const firstRuns = groups.map((g) => g.runIds[0]).filter((id): id is string => Boolean(id));
  const results = await ctx.db.results.taskResults(firstRuns);
  const models: SweepModelRow[] = groups.map((g) => {
    const malignancy = (results.get(g.runIds[0]) ?? []).find((r) => r.task === 'malignancy' && r.split === 'test');
    const single = g.n === 1 && malignancy;
    return {
      backbone: g.backbone,
      runs: g.n,
      testCases: malignancy?.support ?? 0,
      // One run: its bootstrap interval over test cases; several: the t-interval over runs.
      accuracy: single ? malignancy.accuracy : { value: g.accuracy.mean, lo: g.accuracy.lo, hi: g.accuracy.hi },
    };
  });
  return composeSweepView(models);
}

const CRITERIA: readonly SelectionCriterion[] = ['association', 'balance', 'predictability', 'contribution'];

async function selectionView(ctx: ApiContext, analysisId: string): Promise<SharedView | null> {
  const analysis = await ctx.db.selections.detail(analysisId);
  if (!analysis) return null;
  // Only the figures and the rule's verdicts travel: no run ids, sweep names, thresholds or config.
  return composeSelectionView(
    analysis.findings.map((f) => ({
      parameter: f.parameter,
      selected: f.selected,
      ablationDelta: f.removed?.f1?.mean ?? null,
      ablationLo: f.removed?.f1?.lo ?? null,
      ablationHi: f.removed?.f1?.hi ?? null,
      association: f.association.cramersV,
      associationP: f.association.pHolm,
      criteria: Object.fromEntries(CRITERIA.flatMap((c) => (f.criteria[c] ? [[c, f.criteria[c].status]] : []))),
    })),
  );
}

export const shareRouter = router({
  /** The shared result, and what the link is (its label and expiry). Counts as one open of the link. */
  view: shareProcedure.query(async ({ ctx }) => {
    const { grant } = ctx;
    const view =
      grant.scope === 'run'
        ? await runView(ctx, grant.targetId)
        : grant.scope === 'sweep'
          ? await sweepView(ctx, grant.targetId)
          : await selectionView(ctx, grant.targetId);
    return { label: grant.label, expiresAt: grant.expiresAt, scope: grant.scope, view, caveat: RESEARCH_CAVEAT };
  }),
});
