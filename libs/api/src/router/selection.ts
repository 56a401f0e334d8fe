// Clinical-parameter selection analyses (`ovus select` stores them): a project's history, one
// analysis with its rule, thresholds and per-parameter findings beside the paper's chosen set,
// each parameter's scores across the history, and the findings table as CSV, Markdown or LaTeX.
import { CLINICAL_PARAMETERS, PAPER_SELECTED_PARAMETERS } from '@ovus/domain';
import { EXPORT_FORMATS, exportScoreTable } from '@ovus/table-export';
import { MAX_SELECTION_PAGE, MAX_SELECTION_TIMELINE, type SelectionDetail } from '@ovus/tracking';
import { z } from 'zod';
import { parameterTitle, selectionScoreTable } from '../analysis/selection-table';
import { memberProcedure, notFound, router, type ApiContext } from '../trpc';
import { id, isUuid, pageInput } from '../schemas';

async function requireProject(ctx: ApiContext, projectId: string) {
  const project = isUuid(projectId) ? await ctx.db.projects.get(projectId) : null;
  if (!project) throw notFound('Project', projectId);
  return project;
}

async function requireAnalysis(ctx: ApiContext, analysisId: string): Promise<SelectionDetail> {
  const analysis = isUuid(analysisId) ? await ctx.db.selections.detail(analysisId) : null;
  if (!analysis) throw notFound('Selection analysis', analysisId);
  return analysis;
}

/** What the page shows of one analysis: chosen fields, not the stored JSON as it lies. */
function analysisView(a: SelectionDetail) {
  return {
    id: a.id,
    projectId: a.projectId,
    projectName: a.projectName,
    sweepId: a.sweepId,
    sweepName: a.sweepName,
    sweepIds: a.sweepIds,
    datasetVersionId: a.datasetVersionId,
    method: a.method,
    codeVersion: a.codeVersion,
    createdAt: a.createdAt,
    runIds: a.runIds,
    config: a.config,
    ruleText: a.ruleText,
    thresholds: a.thresholds,
    continuityCorrection: a.continuityCorrection,
    greedy: a.greedy,
    selected: a.selected,
    /** The paper's key parameters (its Table 3), to show beside ours. */
    paperSelected: [...PAPER_SELECTED_PARAMETERS] as string[],
    findings: a.findings.map((f) => ({
      parameter: f.parameter,
      title: parameterTitle(f.parameter),
      rank: f.rank,
      selected: f.selected,
      inPaper: (PAPER_SELECTED_PARAMETERS as readonly string[]).includes(f.parameter),
      reason: f.reason,
      criteria: f.criteria,
      association: f.association,
      predictability: f.predictability,
      removed: f.removed,
      alone: f.alone,
    })),
    table: selectionScoreTable(a),
  };
}

const exportInput = z.object({ id, format: z.enum(EXPORT_FORMATS) });

export const selectionRouter = router({
  /** The project's analyses, newest first (its selection history). */
  list: memberProcedure.input(z.object({ projectId: id, ...pageInput(MAX_SELECTION_PAGE, 20) })).query(async ({ ctx, input }) => {
    const project = await requireProject(ctx, input.projectId);
    return ctx.db.selections.list(project.id, { limit: input.limit, cursor: input.cursor });
  }),

  /** One analysis: rule and thresholds, findings in rank order with their figures and the one-sentence why. */
  get: memberProcedure.input(z.object({ id })).query(async ({ ctx, input }) => analysisView(await requireAnalysis(ctx, input.id))),

  /** Each parameter's scores across the project's newest analyses, oldest first, with whether it was kept. */
  timeline: memberProcedure
    .input(z.object({ projectId: id, limit: z.number().int().min(1).max(MAX_SELECTION_TIMELINE).default(50) }))
    .query(async ({ ctx, input }) => {
      const project = await requireProject(ctx, input.projectId);
      const points = await ctx.db.selections.timeline(project.id, input.limit);
      return {
        parameters: CLINICAL_PARAMETERS.filter((p) => points.some((x) => x.parameter === p)).map((p) => ({ parameter: p as string, title: parameterTitle(p) })),
        points: points.map((p) => ({
          analysisId: p.analysisId,
          createdAt: p.createdAt,
          parameter: p.parameter,
          selected: p.selected,
          cramersV: p.cramersV,
          pHolm: p.pHolm,
          f1: p.f1,
          auc: p.auc,
          f1Delta: p.f1Delta,
        })),
      };
    }),

  /** The findings table as a file: CSV, Markdown or LaTeX, byte-stable. */
  export: memberProcedure.input(exportInput).query(async ({ ctx, input }) => {
    const analysis = await requireAnalysis(ctx, input.id);
    return exportScoreTable(selectionScoreTable(analysis), input.format, `selection-${analysis.id.slice(0, 8)}`);
  }),
});
