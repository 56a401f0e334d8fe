// Prediction on an uploaded BMUS/CEUS pair with a run's selected model (team members only), and
// which runs offer a model to predict with (the dashboard's run picker and the run page's link).
// The work itself is in ../inference/predict-pair.ts; nothing is stored.
import { chooseModelPath } from '@ovus/tracking';
import { z } from 'zod';
import { predictUploadedPair } from '../inference/predict-pair';
import { id, isUuid } from '../schemas';
import { memberProcedure, notFound, router } from '../trpc';

/** 16 MiB per image, as base64 (4 characters per 3 bytes). */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const upload = z.object({
  /** The file's name as uploaded: its extension must say what the bytes are (PNG, JPEG, DICOM). */
  name: z.string().min(1).max(255),
  base64: z.string().min(1).max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4, `an image may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`),
});

export const predictPairInput = z.object({
  runId: id,
  bmus: upload,
  ceus: upload,
  saliency: z.boolean().default(true),
  report: z.boolean().default(true),
});

export const inferenceRouter = router({
  predictPair: memberProcedure.input(predictPairInput).mutation(({ ctx, input }) => {
    if (!isUuid(input.runId)) throw notFound('run', input.runId);
    return predictUploadedPair(ctx.db, input);
  }),

  /** Whether a run has a model to predict with (and which), or why not. No bytes are read. */
  model: memberProcedure.input(z.object({ runId: id })).query(async ({ ctx, input }) => {
    if (!isUuid(input.runId)) throw notFound('run', input.runId);
    const run = await ctx.db.runs.get(input.runId);
    if (!run) throw notFound('run', input.runId);
    const [tags, artifacts] = await Promise.all([ctx.db.runs.tags(run.id), ctx.db.artifacts.list(run.id)]);
    const choice = chooseModelPath(run, tags, artifacts.map((a) => a.path));
    // A selected path whose artifact was deleted is no model either.
    if (choice.ok && !artifacts.some((a) => a.path === choice.path)) {
      return { ok: false as const, reason: `Run ${run.id} selected ${choice.path}, but that artifact is no longer stored.` };
    }
    return choice;
  }),

  /** The newest runs that hold a model, for the run picker: finished ones first, each with its tasks. */
  predictableRuns: memberProcedure.input(z.object({ limit: z.number().int().min(1).max(100).default(50) }).default({ limit: 50 })).query(async ({ ctx, input }) => {
    const runs = await ctx.db.runs.list({ limit: Math.min(100, input.limit * 2) });
    // Three queries in all, whatever the number of runs (not two per run).
    const ids = runs.map((r) => r.id);
    const [tagsByRun, pathsByRun] = await Promise.all([ctx.db.runs.tagsOf(ids), ctx.db.artifacts.pathsOf(ids)]);
    const checked = runs.map((run) => {
      const paths = pathsByRun.get(run.id) ?? [];
      const choice = chooseModelPath(run, tagsByRun.get(run.id) ?? {}, paths);
      return choice.ok && paths.includes(choice.path) ? { run, path: choice.path, warnings: choice.warnings } : null;
    });
    return checked
      .filter((c) => c !== null)
      .sort((a, b) => Number(b.run.status === 'finished') - Number(a.run.status === 'finished'))
      .slice(0, input.limit)
      .map(({ run, path, warnings }) => ({
        id: run.id,
        name: run.name,
        status: run.status,
        backbone: run.backbone,
        tasks: run.tasks,
        imageSize: run.imageSize,
        createdAt: run.createdAt,
        model: path,
        warnings,
      }));
  }),
});
