// ovus predict --run <run> --bmus a.png --ceus b.png [--json], or --manifest pairs.csv: every
// head's class probabilities from the run's selected model, preprocessed exactly as in training.
// Nothing is stored: a prediction is an answer, not a record.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { TASKS } from '@ovus/domain';
import {
  InferenceInputError,
  loadInputPair,
  pairSaliency,
  predictPairs,
  PredictionManifestError,
  readPredictionManifest,
  type LoadedPair,
  type PairPrediction,
} from '@ovus/ml-inference';
import { buildStructuredReport, renderMarkdown, renderPdf, renderText } from '@ovus/report';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import { openDatabase } from '../runtime/services';
import { openRunPredictor, type RunPredictor } from '../runtime/run-predictor';

interface PredictOptions {
  run: string;
  bmus?: string;
  ceus?: string;
  manifest?: string;
  json?: boolean;
  saliency?: string;
  report?: string;
}

interface PairInput {
  caseId: string;
  row: number | null;
  bmus?: string;
  ceus?: string;
}

export function registerPredictCommand(program: Command, context: CliContext): void {
  program
    .command('predict')
    .description("predict every head of a run's selected model for a BMUS/CEUS pair (or each pair of a manifest); stores nothing")
    .requiredOption('--run <run>', 'run id whose selected model predicts')
    .option('--bmus <file>', 'B-mode image (PNG, JPEG or DICOM)')
    .option('--ceus <file>', 'contrast-enhanced image of the same tumour')
    .option('--manifest <csv>', 'batch form: a CSV with columns bmus, ceus (case_id optional), paths relative to it')
    .option('--json', 'print one JSON document instead of a table')
    .option('--saliency <dir>', 'also write Grad-CAM overlays (PNG) per head and image into this folder')
    .option('--report <dir>', 'also write a structured report per pair (text, Markdown, PDF with the overlays) into this folder')
    .action(async (options: PredictOptions) => {
      if (options.manifest && (options.bmus || options.ceus)) {
        throw new CliError('Give either --manifest or --bmus/--ceus, not both.', EXIT_CODES.badConfig);
      }
      const inputs = await pairInputs(options);
      const database = await openDatabase(context.env());
      try {
        const opened = await openRunPredictor(database, options.run);
        try {
          const pairs = await loadPairs(inputs, opened);
          const predictions = predictPairs(opened.predictor, pairs);
          const saliencyDir = options.saliency ?? options.report;
          const saliency = saliencyDir ? await writeSaliency(saliencyDir, opened, inputs, pairs) : [];
          const warnings = [...opened.warnings, ...pairs.flatMap((p, i) => p.warnings.map((w) => `${inputs[i].caseId}: ${w}`))];
          const reports = options.report ? await writeReports(options.report, opened, inputs, pairs, predictions, saliency) : [];
          if (options.json) {
            context.io.out(`${JSON.stringify({ ...predictionDocument(opened, inputs, pairs, predictions, warnings), saliency, reports }, null, 2)}\n`);
          } else {
            for (const warning of warnings) context.io.err(`warning: ${warning}\n`);
            context.io.out(formatPredictions(opened, inputs, predictions));
            if (saliency.length > 0) context.io.out(`\nSaliency (${saliency[0].method}): ${saliency.length} overlays in ${saliencyDir}\n`);
            for (const r of reports) context.io.out(`Report for ${r.caseId}: ${r.files.join(', ')}\n`);
          }
        } finally {
          opened.predictor.dispose();
        }
      } finally {
        await database.close();
      }
    });
}

async function writeSaliency(dir: string, opened: RunPredictor, inputs: readonly PairInput[], pairs: readonly LoadedPair[]) {
  await mkdir(dir, { recursive: true });
  const written = [];
  for (const [i, pair] of pairs.entries()) {
    const { method, overlays } = await pairSaliency(opened.predictor, pair);
    for (const overlay of overlays) {
      const file = join(dir, `${inputs[i].caseId.replace(/[^\w.-]/g, '_')}_${overlay.map.task}_${overlay.map.modality}.png`);
      await writeFile(file, overlay.png);
      written.push({ caseId: inputs[i].caseId, task: overlay.map.task, modality: overlay.map.modality, explains: overlay.map.className, file, method, grid: overlay.map.grid });
    }
  }
  return written;
}

type WrittenSaliency = Awaited<ReturnType<typeof writeSaliency>>;

async function writeReports(
  dir: string,
  opened: RunPredictor,
  inputs: readonly PairInput[],
  pairs: readonly LoadedPair[],
  predictions: readonly PairPrediction[],
  saliency: WrittenSaliency,
) {
  await mkdir(dir, { recursive: true });
  const { predictor, engine } = opened;
  const written = [];
  for (const [i, prediction] of predictions.entries()) {
    const caseId = inputs[i].caseId;
    const mine = saliency.filter((s) => s.caseId === caseId);
    const report = buildStructuredReport({
      caseId,
      images: { bmus: pairs[i].bmus.path, ceus: pairs[i].ceus.path },
      model: { runId: predictor.source.runId, backbone: predictor.config.backbone, artifact: predictor.source.artifactPath, sha256: predictor.source.sha256, backend: engine.backend, inputSize: predictor.config.inputSize },
      heads: prediction.heads,
      absent: prediction.absent,
      saliency: mine.length ? { method: mine[0].method, files: mine.map((s) => ({ task: s.task, modality: s.modality, file: s.file })) } : undefined,
      warnings: pairs[i].warnings,
      generatedAt: new Date(),
    });
    // The pictures: the malignancy head's overlays (or the first head's) for both images.
    const shown = mine.filter((s) => s.task === (mine.some((m) => m.task === 'malignancy') ? 'malignancy' : mine[0]?.task));
    const images = await Promise.all(shown.map(async (s) => ({ caption: `${s.modality.toUpperCase()}: where ${TASKS[s.task].title.toLowerCase()} = ${s.explains.toLowerCase()}`, png: await readFile(s.file) })));
    const base = join(dir, `${caseId.replace(/[^\w.-]/g, '_')}.report`);
    await writeFile(`${base}.txt`, renderText(report));
    await writeFile(`${base}.md`, renderMarkdown(report));
    await writeFile(`${base}.pdf`, await renderPdf(report, images));
    written.push({ caseId, verdict: report.rules.verdict, files: ['txt', 'md', 'pdf'].map((ext) => `${base}.${ext}`) });
  }
  return written;
}

async function pairInputs(options: PredictOptions): Promise<PairInput[]> {
  if (!options.manifest) {
    const caseId = options.bmus ? basename(options.bmus, extname(options.bmus)) : 'input';
    return [{ caseId, row: null, bmus: options.bmus, ceus: options.ceus }];
  }
  try {
    return (await readPredictionManifest(options.manifest)).map((p) => ({ caseId: p.caseId, row: p.row, bmus: p.bmus, ceus: p.ceus }));
  } catch (error) {
    if (error instanceof PredictionManifestError) throw new CliError(error.message, EXIT_CODES.badConfig);
    throw error;
  }
}

/** Every pair is checked before any is predicted; all problems are reported at once. */
async function loadPairs(inputs: readonly PairInput[], opened: RunPredictor): Promise<LoadedPair[]> {
  const problems: string[] = [];
  const pairs: LoadedPair[] = [];
  for (const input of inputs) {
    try {
      pairs.push(await loadInputPair(input, { size: opened.predictor.config.inputSize, reference: opened.reference }));
    } catch (error) {
      if (!(error instanceof InferenceInputError)) throw error;
      const where = input.row === null ? '' : `row ${input.row} (${input.caseId}), column ${error.modality ?? 'bmus/ceus'}: `;
      problems.push(`${where}${error.message}`);
    }
  }
  if (problems.length > 0) {
    const intro = inputs.length > 1 ? `${problems.length} of ${inputs.length} pairs cannot be read; nothing was predicted:\n` : '';
    throw new CliError(`${intro}${problems.map((p) => (inputs.length > 1 ? `  - ${p}` : p)).join('\n')}`, EXIT_CODES.badConfig);
  }
  return pairs;
}

function predictionDocument(opened: RunPredictor, inputs: readonly PairInput[], pairs: readonly LoadedPair[], predictions: readonly PairPrediction[], warnings: string[]) {
  const { predictor, engine } = opened;
  return {
    runId: predictor.source.runId,
    model: { artifact: predictor.source.artifactPath, sha256: predictor.source.sha256, backbone: predictor.config.backbone, inputSize: predictor.config.inputSize },
    backend: engine.backend,
    warnings,
    predictions: predictions.map((prediction, i) => ({
      caseId: inputs[i].caseId,
      bmus: { path: pairs[i].bmus.path, sha256: pairs[i].bmus.source.sha256, width: pairs[i].bmus.source.width, height: pairs[i].bmus.source.height },
      ceus: { path: pairs[i].ceus.path, sha256: pairs[i].ceus.source.sha256, width: pairs[i].ceus.source.width, height: pairs[i].ceus.source.height },
      heads: Object.fromEntries(
        prediction.heads.map((h) => [h.task, { predicted: h.predicted.code, classes: h.classes.map((c) => ({ code: c.code, name: c.name, probability: c.probability })) }]),
      ),
      absent: prediction.absent,
    })),
  };
}

function formatPredictions(opened: RunPredictor, inputs: readonly PairInput[], predictions: readonly PairPrediction[]): string {
  const { predictor, engine } = opened;
  const lines = [
    `Run ${predictor.source.runId}: ${predictor.source.artifactPath} (sha256 ${predictor.source.sha256.slice(0, 16)}…), ${predictor.config.backbone} at ${predictor.config.inputSize} px, backend ${engine.backend}`,
  ];
  const width = Math.max(...predictor.tasks.map((t) => TASKS[t].title.length));
  predictions.forEach((prediction, i) => {
    lines.push('', `${inputs[i].caseId}:`);
    for (const head of prediction.heads) {
      const others = head.classes.filter((c) => c !== head.predicted).map((c) => `${c.name} ${c.probability.toFixed(3)}`);
      lines.push(`  ${head.title.padEnd(width)}  ${head.predicted.name} ${head.predicted.probability.toFixed(3)}  (${others.join(', ')})`);
    }
    if (prediction.absent.length > 0) lines.push(`  Not predicted (the run did not train these heads): ${prediction.absent.map((t) => TASKS[t].title).join(', ')}`);
  });
  return `${lines.join('\n')}\n`;
}
