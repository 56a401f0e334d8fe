// One uploaded BMUS/CEUS pair through a run's selected model: probabilities per head, Grad-CAM
// overlays per head and image (PNG at the upload's aspect), the structured report as text,
// Markdown and PDF, and the IOTA Simple Rules verdict with the features it used. The same
// libraries as `ovus predict` (@ovus/ml-inference, @ovus/report), so the dashboard and the CLI give
// the same numbers. Nothing is stored: the uploads live in a temporary folder for the call.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { TASKS, type TaskName } from '@ovus/domain';
import { initEngine, type EngineInfo } from '@ovus/ml-engine';
import { InferenceInputError, loadInputPair, loadPredictor, pairSaliency, predictPairs, UnusableCheckpointError, type PairSaliency } from '@ovus/ml-inference';
import { B_FEATURES, buildStructuredReport, FEATURE_TITLES, M_FEATURES, renderMarkdown, renderPdf, renderText, VERDICT_TITLES, type RuleEvaluation } from '@ovus/report';
import { fetchSelectedModel, NoUsableModelError, trainingImageSize } from '@ovus/tracking';
import type { DashboardDatabase } from '../trpc';

export interface Upload {
  name: string;
  base64: string;
}

export interface PredictPairRequest {
  runId: string;
  bmus: Upload;
  ceus: Upload;
  saliency: boolean;
  report: boolean;
}

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

/** The rules' evaluation as the page shows it: each feature with its value and basis, in order. */
function rulesView(rules: RuleEvaluation) {
  return {
    verdict: rules.verdict,
    title: VERDICT_TITLES[rules.verdict],
    ifUnknownAbsent: rules.ifUnknownAbsent,
    ifUnknownPresent: rules.ifUnknownPresent,
    undecidedBy: rules.undecidedBy.map((u) => ({ feature: u.feature, why: u.why, needs: u.needs ?? [] })),
    features: [...B_FEATURES, ...M_FEATURES].map((feature) => {
      const f = rules.features[feature];
      return {
        feature,
        title: FEATURE_TITLES[feature],
        value: f.value === 'unknown' ? ('unknown' as const) : f.value ? ('present' as const) : ('absent' as const),
        why: f.value === 'unknown' ? f.why : null,
        assumed: f.value !== 'unknown' && f.assumed === true,
        basis: f.basis,
      };
    }),
  };
}

/** The PDF's pictures: the malignancy head's overlays (or the first head's) for both images, as the CLI's report. */
function pdfPictures(saliency: PairSaliency | null) {
  if (!saliency || saliency.overlays.length === 0) return [];
  const task: TaskName = saliency.overlays.some((o) => o.map.task === 'malignancy') ? 'malignancy' : saliency.overlays[0].map.task;
  return saliency.overlays
    .filter((o) => o.map.task === task)
    .map((o) => ({ caption: `${o.map.modality.toUpperCase()}: where ${TASKS[task].title.toLowerCase()} = ${o.map.className.toLowerCase()}`, png: new Uint8Array(o.png) }));
}

export async function predictUploadedPair(db: DashboardDatabase, input: PredictPairRequest) {
  const selected = await fetchSelectedModel(storeOf(db), input.runId).catch((error: unknown) => {
    if (error instanceof NoUsableModelError) {
      throw new TRPCError({ code: /does not exist/.test(error.message) ? 'NOT_FOUND' : 'PRECONDITION_FAILED', message: error.message });
    }
    throw error;
  });
  // Checked before the model is loaded: a wrong file type is the uploader's to fix at once.
  for (const modality of ['bmus', 'ceus'] as const) {
    const file = input[modality];
    if (!ACCEPTED_EXTENSION.test(extname(file.name))) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `${modality.toUpperCase()} upload '${file.name}': the name must end in .png, .jpg, .jpeg or .dcm.` });
    }
  }
  const info = await ensureEngine();
  const predictor = await loadPredictor(selected.artifact.data, { runId: input.runId, artifactPath: selected.artifact.path, sha256: selected.artifact.sha256 }).catch((error: unknown) => {
    if (error instanceof UnusableCheckpointError) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
    throw error;
  });
  const dir = await mkdtemp(join(tmpdir(), 'ovus-upload-'));
  try {
    const paths: Record<'bmus' | 'ceus', string> = { bmus: '', ceus: '' };
    for (const modality of ['bmus', 'ceus'] as const) {
      // A unique file name, so that messages that quote it can be mapped back to the upload's name.
      paths[modality] = join(dir, `${modality}-${randomUUID()}${extname(input[modality].name).toLowerCase()}`);
      await writeFile(paths[modality], Buffer.from(input[modality].base64, 'base64'));
    }
    // The temporary paths mean nothing to the uploader: messages name the uploads instead.
    const named = (text: string) =>
      (['bmus', 'ceus'] as const).reduce((out, m) => out.split(paths[m]).join(input[m].name).split(basename(paths[m])).join(input[m].name), text);
    const reference = await trainingImageSize(db, selected.run.datasetVersionId);
    const pair = await loadInputPair(paths, { size: predictor.config.inputSize, reference }).catch((error: unknown) => {
      if (error instanceof InferenceInputError) throw new TRPCError({ code: 'BAD_REQUEST', message: named(error.message) });
      throw error;
    });
    const [prediction] = predictPairs(predictor, [pair]);
    const saliency = input.saliency ? await pairSaliency(predictor, pair) : null;
    const model = { artifact: predictor.source.artifactPath, sha256: predictor.source.sha256, backbone: predictor.config.backbone, inputSize: predictor.config.inputSize };
    const warnings = [...selected.warnings, ...pair.warnings.map(named)];
    const structured = input.report
      ? buildStructuredReport({
          caseId: input.bmus.name,
          images: { bmus: input.bmus.name, ceus: input.ceus.name },
          model: { runId: input.runId, ...model, backend: info.backend },
          heads: prediction.heads,
          absent: prediction.absent,
          saliency: saliency ? { method: saliency.method, files: [] } : undefined,
          warnings,
          generatedAt: new Date(),
        })
      : null;
    return {
      runId: input.runId,
      model,
      backend: info.backend,
      warnings,
      inputs: {
        bmus: { name: input.bmus.name, width: pair.bmus.source.width, height: pair.bmus.source.height, format: pair.bmus.source.format },
        ceus: { name: input.ceus.name, width: pair.ceus.source.width, height: pair.ceus.source.height, format: pair.ceus.source.format },
      },
      trainingImageSize: reference,
      heads: prediction.heads.map((h) => ({ task: h.task, title: h.title, predicted: h.predicted.code, classes: h.classes })),
      absent: prediction.absent,
      saliency: saliency
        ? {
            method: saliency.method,
            overlays: saliency.overlays.map((o) => ({
              task: o.map.task,
              modality: o.map.modality,
              explains: o.map.className,
              grid: o.map.grid,
              side: o.side,
              width: o.width,
              height: o.height,
              pngBase64: o.png.toString('base64'),
            })),
          }
        : null,
      rules: structured ? rulesView(structured.rules) : null,
      reportText: structured ? renderText(structured) : null,
      reportMarkdown: structured ? renderMarkdown(structured) : null,
      reportPdfBase64: structured ? Buffer.from(await renderPdf(structured, pdfPictures(saliency))).toString('base64') : null,
    };
  } finally {
    predictor.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
