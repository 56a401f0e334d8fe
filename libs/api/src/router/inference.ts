// Prediction on an uploaded BMUS/CEUS pair with a run's selected model (team members only): every
// head's probabilities, Grad-CAM overlays per head and image (PNG, base64) and the structured
// report in Markdown. The same libraries as `ovus predict` (@ovus/ml-inference, @ovus/report), so
// the dashboard and the CLI give the same numbers. Nothing is stored; the uploads live in a
// temporary folder for the duration of the call.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { initEngine, type EngineInfo } from '@ovus/ml-engine';
import { InferenceInputError, loadInputPair, loadPredictor, pairSaliency, predictPairs, UnusableCheckpointError } from '@ovus/ml-inference';
import { buildStructuredReport, renderMarkdown } from '@ovus/report';
import { fetchSelectedModel, NoUsableModelError } from '@ovus/tracking';
import { z } from 'zod';
import { id, isUuid } from '../schemas';
import { memberProcedure, notFound, router, type DashboardDatabase } from '../trpc';

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

let engine: Promise<EngineInfo> | null = null;
const ensureEngine = () => (engine ??= initEngine());

function storeOf(db: DashboardDatabase) {
  return {
    getRun: (runId: string) => db.runs.get(runId),
    getTags: (runId: string) => db.runs.tags(runId),
    listArtifacts: (runId: string) => db.artifacts.list(runId),
    fetchArtifact: (runId: string, path: string) => db.artifacts.fetch(runId, path),
  };
}

const ACCEPTED_EXTENSION = /^\.(png|jpe?g|dcm|dicom)$/i;

export const inferenceRouter = router({
  predictPair: memberProcedure.input(predictPairInput).mutation(async ({ ctx, input }) => {
    if (!isUuid(input.runId)) throw notFound('run', input.runId);
    const selected = await fetchSelectedModel(storeOf(ctx.db), input.runId).catch((error: unknown) => {
      if (error instanceof NoUsableModelError) {
        throw new TRPCError({ code: /does not exist/.test(error.message) ? 'NOT_FOUND' : 'PRECONDITION_FAILED', message: error.message });
      }
      throw error;
    });
    const info = await ensureEngine();
    const predictor = await loadPredictor(selected.artifact.data, { runId: input.runId, artifactPath: selected.artifact.path, sha256: selected.artifact.sha256 }).catch((error: unknown) => {
      if (error instanceof UnusableCheckpointError) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
      throw error;
    });
    const dir = await mkdtemp(join(tmpdir(), 'ovus-upload-'));
    try {
      const paths: Record<'bmus' | 'ceus', string> = { bmus: '', ceus: '' };
      for (const modality of ['bmus', 'ceus'] as const) {
        const file = input[modality];
        const extension = extname(file.name);
        if (!ACCEPTED_EXTENSION.test(extension)) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: `${modality.toUpperCase()} upload '${file.name}': the name must end in .png, .jpg, .jpeg or .dcm.` });
        }
        paths[modality] = join(dir, `${modality}${extension.toLowerCase()}`);
        await writeFile(paths[modality], Buffer.from(file.base64, 'base64'));
      }
      const pair = await loadInputPair(paths, { size: predictor.config.inputSize }).catch((error: unknown) => {
        if (error instanceof InferenceInputError) {
          // The temporary path means nothing to the uploader: name the upload instead.
          const named = error.modality ? error.message.split(paths[error.modality]).join(input[error.modality].name) : error.message;
          throw new TRPCError({ code: 'BAD_REQUEST', message: named });
        }
        throw error;
      });
      const [prediction] = predictPairs(predictor, [pair]);
      const saliency = input.saliency ? await pairSaliency(predictor, pair) : null;
      const model = { artifact: predictor.source.artifactPath, sha256: predictor.source.sha256, backbone: predictor.config.backbone, inputSize: predictor.config.inputSize };
      const report = input.report
        ? renderMarkdown(
            buildStructuredReport({
              caseId: input.bmus.name,
              images: { bmus: input.bmus.name, ceus: input.ceus.name },
              model: { runId: input.runId, ...model, backend: info.backend },
              heads: prediction.heads,
              absent: prediction.absent,
              saliency: saliency ? { method: saliency.method, files: [] } : undefined,
              warnings: pair.warnings,
              generatedAt: new Date(),
            }),
          )
        : null;
      return {
        runId: input.runId,
        model,
        backend: info.backend,
        warnings: [...selected.warnings, ...pair.warnings.map((w) => w.split(paths.bmus).join(input.bmus.name).split(paths.ceus).join(input.ceus.name))],
        heads: prediction.heads.map((h) => ({ task: h.task, title: h.title, predicted: h.predicted.code, classes: h.classes })),
        absent: prediction.absent,
        saliency: saliency
          ? {
              method: saliency.method,
              overlays: saliency.overlays.map((o) => ({ task: o.map.task, modality: o.map.modality, explains: o.map.className, grid: o.map.grid, side: o.side, pngBase64: o.png.toString('base64') })),
            }
          : null,
        reportMarkdown: report,
      };
    } finally {
      predictor.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  }),
});
