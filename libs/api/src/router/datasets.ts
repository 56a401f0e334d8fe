// Datasets, their versions, each version's label table (laid out like the paper's dataset table:
// benign and malignant counts per class of every parameter), and how a run's split divides it.
import { CLINICAL_PARAMETERS, PAPER_CLASS_COUNTS, PAPER_LABEL_COUNTS, TASKS } from '@ovus/domain';
import type { DatasetStatistics } from '@ovus/data';
import { MAX_LIST_PAGE } from '@ovus/tracking';
import { z } from 'zod';
import { badRequest, memberProcedure, notFound, router } from '../trpc';
import { id, isUuid, pageInput } from '../schemas';

export interface LabelTableRow {
  parameter: string;
  title: string;
  code: number;
  className: string;
  benign: number;
  malignant: number;
  /** The paper's counts for this class (its dataset table). */
  paper: { benign: number; malignant: number };
}

function labelTable(statistics: DatasetStatistics): { rows: LabelTableRow[]; missing: Record<string, number> } {
  const rows: LabelTableRow[] = [];
  const missing: Record<string, number> = {};
  for (const parameter of CLINICAL_PARAMETERS) {
    const task = TASKS[parameter];
    const counts = statistics.parameters[parameter];
    missing[parameter] = counts?.missing ?? 0;
    task.codes.forEach((code, i) => {
      rows.push({
        parameter,
        title: task.title,
        code,
        className: task.classNames[i] as string,
        benign: counts?.benign[String(code)] ?? 0,
        malignant: counts?.malignant[String(code)] ?? 0,
        paper: { benign: PAPER_LABEL_COUNTS[parameter].benign[code] ?? 0, malignant: PAPER_LABEL_COUNTS[parameter].malignant[code] ?? 0 },
      });
    });
  }
  return { rows, missing };
}

export const datasetsRouter = router({
  /** Datasets by name with their versions, newest first. */
  list: memberProcedure.input(z.object(pageInput(MAX_LIST_PAGE))).query(async ({ ctx, input }) => {
    const all = await ctx.db.datasets.list();
    let start = 0;
    if (input.cursor) {
      start = all.findIndex((d) => d.name > (input.cursor as string));
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + input.limit);
    const more = start + input.limit < all.length;
    return {
      items: page.map((d) => ({
        name: d.name,
        versions: d.versions.map((v) => ({
          id: v.id,
          contentHash: v.contentHash,
          version: v.contentHash.slice(0, 12),
          caseCount: v.caseCount,
          patientCount: v.patientCount,
          createdAt: v.createdAt.getTime(),
        })),
      })),
      nextCursor: more ? (page.at(-1)?.name ?? null) : null,
    };
  }),

  /** A version with its label table, class counts and the paper's for contrast. */
  version: memberProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const version = isUuid(input.id) ? await ctx.db.datasets.get(input.id) : null;
    if (!version) throw notFound('Dataset version', input.id);
    const table = labelTable(version.statistics);
    return {
      id: version.id,
      datasetName: version.datasetName,
      contentHash: version.contentHash,
      version: version.contentHash.slice(0, 12),
      caseCount: version.caseCount,
      patientCount: version.patientCount,
      createdAt: version.createdAt.getTime(),
      classCounts: { ...version.statistics.classCounts },
      paperClassCounts: { ...PAPER_CLASS_COUNTS },
      labelTable: table.rows,
      missingLabels: table.missing,
    };
  }),

  /** How the run's saved split divides its dataset version: cases, patients, benign and malignant per part. */
  splitComposition: memberProcedure.input(z.object({ runId: id })).query(async ({ ctx, input }) => {
    const run = isUuid(input.runId) ? await ctx.db.runs.get(input.runId) : null;
    if (!run) throw notFound('Run', input.runId);
    if (!run.splitId) throw badRequest(`Run ${run.id} has no saved split (runs made by ovus train/sweep always have one).`);
    const composition = await ctx.db.datasets.splitComposition(run.splitId);
    if (!composition) throw notFound('Split', run.splitId);
    return composition;
  }),
});
