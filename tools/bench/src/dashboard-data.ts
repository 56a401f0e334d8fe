// Synthetic tracking data for the dashboard benchmark, written through the tracking store (the same
// logBatch and save* calls the trainer's client makes): sweeps of backbone settings × seeds, every
// run with 20 series of `steps` points, task results with CIs for all 8 tasks on validation and
// test, confusion matrices and ROC curves for every task on test, and per-case malignancy
// predictions on validation and test.
import { CLINICAL_PARAMETERS, TASK_NAMES, TASKS } from '@ovus/domain';
import { computeStatistics, datasetContentHash, makeHoldoutSplit, sha256Hex, type CaseRecord } from '@ovus/data';
import type { CasePredictionInput, MetricPoint, PostgresTrackingStore, TrackingRepositories } from '@ovus/tracking';

export const SERIES_KEYS = [
  'train/loss',
  ...TASK_NAMES.map((t) => `train/loss/${t}`),
  'epoch/train_loss',
  'epoch/learning_rate',
  'val/loss',
  'val/mean_f1',
  'val/mean_accuracy',
  'val/malignancy/f1',
  'val/malignancy/accuracy',
  'val/malignancy/auc',
  'val/morphology/f1',
  'val/blood_flow/f1',
  'val/septation/f1',
] as const; // 20

const BACKBONES = ['mobilenet-v3-small', 'mobilenet-v3-large', 'mobilenet-v2', 'efficientnet-b0', 'resnet18', 'resnet34', 'resnet50', 'densenet121', 'vgg16', 'vit-b16'];
export const WIDTHS = [0.5, 1];

export interface BenchData {
  projectId: string;
  datasetVersionId: string;
  splitId: string;
  sweeps: string[];
  runs: string[];
  caseCount: number;
}

function makeCases(count: number): CaseRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    caseId: `case-${String(i).padStart(4, '0')}`,
    patientId: `patient-${i}`,
    bmusPath: `bmus/${i}.png`,
    ceusPath: `ceus/${i}.png`,
    bmusSha256: sha256Hex(`b${i}`),
    ceusSha256: sha256Hex(`c${i}`),
    labels: Object.fromEntries(CLINICAL_PARAMETERS.map((p, j) => [p, p === 'echogenicity' ? [0, 1, 3, 4][(i + j) % 4] : (i * (j + 1)) % 2])) as CaseRecord['labels'],
    malignancy: (i % 3 === 0 ? 1 : 0) as 0 | 1,
  }));
}

/** A deterministic pseudo-random number in [0, 1) from integers (no shared state across runs). */
function noise(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) h = Math.imul(h ^ p, 16777619) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
  return (h >>> 8) / 16777216;
}

export async function setUpDataset(repos: TrackingRepositories, cases = 260) {
  const records = makeCases(cases);
  const { id: datasetVersionId } = await repos.datasets.save({
    name: 'bench-phantom',
    contentHash: datasetContentHash(records),
    manifestPath: '/bench/manifest.csv',
    rootDir: '/bench',
    cases: records,
    patientCount: records.length,
    statistics: computeStatistics(records),
  });
  const split = makeHoldoutSplit(records, { seed: 1, fractions: { train: 0.6, validation: 0.2, test: 0.2 } });
  const { id: splitId } = await repos.splits.save(datasetVersionId, split);
  const project = await repos.projects.ensure('bench-dashboard');
  const byId = new Map(records.map((c) => [c.caseId, c]));
  return {
    projectId: project.id,
    datasetVersionId,
    splitId,
    validation: split.parts.validation.map((id) => byId.get(id) as CaseRecord),
    test: split.parts.test.map((id) => byId.get(id) as CaseRecord),
  };
}

type Dataset = Awaited<ReturnType<typeof setUpDataset>>;

/** One sweep of BACKBONES × WIDTHS × `seeds` runs, written run by run, `parallel` at a time. */
export async function loadSweep(
  store: PostgresTrackingStore,
  repos: TrackingRepositories,
  dataset: Dataset,
  options: { index: number; seeds: number; steps: number; parallel: number },
): Promise<{ sweepId: string; runIds: string[] }> {
  const { sweep } = await repos.sweeps.create(dataset.projectId, `sweep-${options.index}`, { bench: options.index, backbones: BACKBONES, widths: WIDTHS });
  const settings = BACKBONES.flatMap((backbone) => WIDTHS.map((width) => ({ backbone, width })));
  const jobs = settings.flatMap((s, g) => Array.from({ length: options.seeds }, (_, seed) => ({ ...s, group: g, seed: seed + 1 })));
  const runIds: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as (typeof jobs)[number];
      runIds.push(await loadRun(store, dataset, sweep.id, job, options));
    }
  };
  await Promise.all(Array.from({ length: options.parallel }, worker));
  return { sweepId: sweep.id, runIds };
}

async function loadRun(
  store: PostgresTrackingStore,
  dataset: Dataset,
  sweepId: string,
  job: { backbone: string; width: number; group: number; seed: number },
  options: { index: number; steps: number },
): Promise<string> {
  const config = { backbone: job.backbone, backboneOptions: { widthMultiplier: job.width }, imageSize: 64, seed: job.seed, epochs: options.steps };
  const { run } = await store.createRun({
    projectId: dataset.projectId,
    sweepId,
    groupKey: `${job.backbone}|${job.width}|64`,
    name: `${job.backbone}-x${job.width} seed=${job.seed} #${options.index}`,
    backbone: job.backbone,
    tasks: [...TASK_NAMES],
    imageSize: 64,
    seed: job.seed,
    config,
    datasetVersionId: dataset.datasetVersionId,
    splitId: dataset.splitId,
  });
  const t0 = Date.UTC(2026, 10, 1) + options.index * 86_400_000;
  await store.setRunStatus(run.id, 'running', { at: t0 });
  // Skill of the group, so sweeps have a best row and rows near it.
  const skill = 0.55 + 0.35 * noise(job.group, 7) + 0.03 * (noise(job.group, job.seed, options.index) - 0.5);
  const metrics: MetricPoint[] = [];
  for (const [k, key] of SERIES_KEYS.entries()) {
    for (let step = 1; step <= options.steps; step += 1) {
      const progress = step / options.steps;
      const value = key.startsWith('val/') && !key.endsWith('loss') ? skill * (0.5 + 0.5 * progress) + 0.02 * noise(k, step) : 2 / (1 + 5 * progress) + 0.05 * noise(k, step, job.seed);
      metrics.push({ key, step, value, timestamp: t0 + step * 1000 });
    }
  }
  const predictions: CasePredictionInput[] = [];
  for (const [split, cases] of [['validation', dataset.validation], ['test', dataset.test]] as const) {
    for (const [i, c] of cases.entries()) {
      const right = noise(i, job.group, job.seed) < skill;
      const predicted = right ? c.malignancy : 1 - c.malignancy;
      const p1 = predicted === 1 ? 0.5 + 0.5 * noise(i, 3) : 0.5 * noise(i, 4);
      predictions.push({ split, task: 'malignancy', caseId: c.caseId, label: c.malignancy, predicted, probabilities: [1 - p1, p1] });
    }
  }
  await store.logBatch(run.id, {
    params: Object.entries(config).map(([key, value]) => ({ key, value: JSON.stringify(value) })),
    tags: [
      { key: 'dataset', value: 'bench-phantom' },
      { key: 'host', value: `host-${job.seed % 3}` },
    ],
    metrics,
    predictions,
  });
  const ci = (v: number) => ({ value: v, lo: v - 0.06, hi: v + 0.06 });
  for (const task of TASK_NAMES) {
    for (const split of ['validation', 'test'] as const) {
      const f1 = skill - 0.05 * noise(task.length, split.length, job.seed);
      await store.saveTaskResult(run.id, { task, split, averaging: 'macro', accuracy: ci(f1 + 0.04), precision: ci(f1 + 0.01), recall: ci(f1 - 0.01), f1: ci(f1), auc: ci(Math.min(0.99, f1 + 0.08)), support: dataset.test.length });
    }
    const codes = TASKS[task].codes;
    const n = dataset.test.length;
    const counts = codes.map((_, r) => codes.map((__, c) => (r === c ? Math.round((n / codes.length) * skill) : Math.round((n / codes.length) * (1 - skill) / (codes.length - 1)))));
    await store.saveConfusionMatrix(run.id, { task, split: 'test', labels: [...codes], counts });
    const points = Array.from({ length: 21 }, (_, i) => ({ fpr: i / 20, tpr: Math.min(1, (i / 20) ** (1 - skill)), threshold: 1 - i / 20 }));
    await store.saveRocCurve(run.id, { task, split: 'test', classCode: codes[1] as number, points });
  }
  await store.setRunStatus(run.id, 'finished', { at: t0 + options.steps * 1000 });
  return run.id;
}

/** One run with a single series of `steps` points (the long-run chart). */
export async function loadLongSeries(store: PostgresTrackingStore, dataset: Dataset, steps: number): Promise<string> {
  const { run } = await store.createRun({ projectId: dataset.projectId, name: `long series ${steps}`, backbone: 'resnet18', tasks: ['malignancy'], imageSize: 64, seed: 1, config: {} });
  const t0 = Date.UTC(2026, 9, 1);
  for (let start = 1; start <= steps; start += 20_000) {
    const batch: MetricPoint[] = [];
    for (let step = start; step < start + 20_000 && step <= steps; step += 1) {
      batch.push({ key: 'train/loss', step, value: step === 777_777 ? 40 : 2 / (1 + step / 50_000) + 0.1 * noise(step), timestamp: t0 + step * 100 });
    }
    await store.logBatch(run.id, { metrics: batch });
  }
  return run.id;
}
