// A small tracking database written through the tracking store, shaped like a sweep the trainer
// leaves behind: one dataset version and its holdout split, a sweep of three backbone settings
// (two seeds each) with metrics, task results, confusion matrices, ROC curves and per-case
// predictions, plus runs that did not finish and one trained on another split.
import { createHash } from 'node:crypto';
import { CLINICAL_PARAMETERS } from '@ovus/domain';
import { computeStatistics, datasetContentHash, makeHoldoutSplit, sha256Hex, type CaseRecord, type ValidatedDataset } from '@ovus/data';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { bindRepositories, PostgresTrackingStore, type CasePredictionInput, type TrackingRepositories } from '@ovus/tracking';

export interface Fixture {
  db: TestDatabase;
  repos: TrackingRepositories;
  store: PostgresTrackingStore;
  projectId: string;
  otherProjectId: string;
  sweepId: string;
  datasetVersionId: string;
  splitId: string;
  testCases: string[];
  /** Runs by name: a1, a2 (mobilenet-v3-small, the best), c1, c2 (resnet18: as good), b1, b2 (vgg16: worse), failed, queued, other (another split). */
  runs: Record<string, string>;
  drop(): Promise<void>;
}

export function makeCases(count: number, seed = 1): CaseRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const labels = Object.fromEntries(
      CLINICAL_PARAMETERS.map((p, j) => [p, p === 'echogenicity' ? [0, 1, 3, 4][(i + j) % 4] : (i + j + seed) % 2]),
    ) as CaseRecord['labels'];
    return {
      caseId: `case-${String(i).padStart(3, '0')}`,
      patientId: `patient-${i}`,
      bmusPath: `bmus/${i}.png`,
      ceusPath: `ceus/${i}.png`,
      bmusSha256: sha256Hex(`bmus-${seed}-${i}`),
      ceusSha256: sha256Hex(`ceus-${seed}-${i}`),
      labels,
      malignancy: (i % 3 === 0 ? 1 : 0) as 0 | 1,
    };
  });
}

export function makeDataset(name: string, cases: CaseRecord[]): ValidatedDataset {
  return {
    name,
    contentHash: datasetContentHash(cases),
    manifestPath: '/data/manifest.csv',
    rootDir: '/data',
    cases,
    patientCount: cases.length,
    statistics: computeStatistics(cases),
  };
}

const T0 = Date.UTC(2026, 11, 1);
const score = (value: number, half = 0.05) => ({ value, lo: value - half, hi: value + half });

/** Predictions that get `wrong` of the test cases wrong (the first ones), with matching probabilities. */
function predictionsFor(cases: readonly CaseRecord[], split: 'validation' | 'test', wrong: number): CasePredictionInput[] {
  return cases.map((c, i) => {
    const label = c.malignancy;
    const predicted = i < wrong ? 1 - label : label;
    const confidence = 0.6 + ((i * 7) % 30) / 100;
    const p1 = predicted === 1 ? confidence : 1 - confidence;
    return { split, task: 'malignancy', caseId: c.caseId, label, predicted, probabilities: [1 - p1, p1] };
  });
}

export async function createFixture(): Promise<Fixture> {
  const db = await createTestDatabase();
  const store = new PostgresTrackingStore(db);
  const repos = bindRepositories(db, store);
  const cases = makeCases(40);
  const { id: datasetVersionId } = await repos.datasets.save(makeDataset('phantom-api', cases));
  const split = makeHoldoutSplit(cases, { seed: 7, fractions: { train: 0.5, validation: 0.25, test: 0.25 } });
  const { id: splitId } = await repos.splits.save(datasetVersionId, split);
  const otherSplit = makeHoldoutSplit(cases, { seed: 8, fractions: { train: 0.5, validation: 0.25, test: 0.25 } });
  const { id: otherSplitId } = await repos.splits.save(datasetVersionId, otherSplit);
  const project = await repos.projects.ensure('api-test', 'createCaller tests');
  const otherProject = await repos.projects.ensure('api-other');
  const { sweep } = await repos.sweeps.create(project.id, 'backbones', { backbones: ['mobilenet-v3-small', 'resnet18', 'vgg16'], seeds: [1, 2] });
  const testCases = cases.filter((c) => split.parts.test.includes(c.caseId));
  const validationCases = cases.filter((c) => split.parts.validation.includes(c.caseId));

  const runs: Record<string, string> = {};
  const settings = [
    { prefix: 'a', backbone: 'mobilenet-v3-small', width: 0.25, f1: [0.82, 0.8], wrong: [0, 1] },
    { prefix: 'c', backbone: 'resnet18', width: 1, f1: [0.78, 0.77], wrong: [1, 1] },
    { prefix: 'b', backbone: 'vgg16', width: 1, f1: [0.4, 0.42], wrong: [8, 9] },
  ];
  for (const setting of settings) {
    for (const [i, seed] of [1, 2].entries()) {
      const name = `${setting.prefix}${seed}`;
      const config = { backbone: setting.backbone, backboneOptions: { widthMultiplier: setting.width }, imageSize: 64, seed, optimizer: { learningRate: 0.001 } };
      const { run } = await store.createRun({
        projectId: project.id,
        sweepId: sweep.id,
        groupKey: `${setting.backbone}|${setting.width}|64`,
        name: `${setting.backbone} seed=${seed}`,
        backbone: setting.backbone,
        tasks: ['malignancy', 'morphology'],
        imageSize: 64,
        seed,
        config,
        datasetVersionId,
        splitId,
      });
      runs[name] = run.id;
      await repos.runs.recordEnvironment(run.id, { gitCommit: 'abc1234', tfjsBackend: 'wasm', host: 'host-1', hardware: { cores: 2 }, attempt: 1 });
      await store.setRunStatus(run.id, 'running', { at: T0 + i * 1000 });
      const wrong = setting.wrong[i] as number;
      const f1 = setting.f1[i] as number;
      const metrics = [];
      for (let step = 1; step <= 300; step += 1) {
        metrics.push({ key: 'train/loss', step, value: step === 150 ? 9 : 2 / Math.sqrt(step), timestamp: T0 + step * 100 });
        metrics.push({ key: 'train/loss/malignancy', step, value: 1 / Math.sqrt(step), timestamp: T0 + step * 100 });
      }
      for (let epoch = 1; epoch <= 5; epoch += 1) {
        metrics.push({ key: 'epoch/learning_rate', step: epoch, value: 0.001 / epoch, timestamp: T0 + epoch * 6000 });
        metrics.push({ key: 'val/loss', step: epoch, value: 1 / epoch, timestamp: T0 + epoch * 6000 });
        metrics.push({ key: 'val/malignancy/f1', step: epoch, value: (f1 * epoch) / 5, timestamp: T0 + epoch * 6000 });
        metrics.push({ key: 'epoch/seconds', step: epoch, value: 6, timestamp: T0 + epoch * 6000 });
      }
      metrics.push({ key: 'final/test/malignancy/f1', step: 0, value: f1, timestamp: T0 + 40_000 });
      await store.logBatch(run.id, {
        params: [
          { key: 'backbone', value: setting.backbone },
          { key: 'seed', value: String(seed) },
        ],
        tags: [
          { key: 'dataset', value: 'phantom-api' },
          { key: 'purpose', value: setting.prefix === 'a' ? 'baseline' : 'sweep' },
        ],
        metrics,
        predictions: [...predictionsFor(testCases, 'test', wrong), ...predictionsFor(validationCases, 'validation', 0)],
      });
      const accuracy = 1 - wrong / testCases.length;
      for (const task of ['malignancy', 'morphology']) {
        for (const part of ['validation', 'test'] as const) {
          await store.saveTaskResult(run.id, {
            task,
            split: part,
            averaging: 'macro',
            accuracy: score(accuracy),
            precision: score(f1 + 0.01),
            recall: score(f1 - 0.01),
            f1: score(f1),
            auc: task === 'malignancy' ? score(Math.min(0.99, f1 + 0.1)) : null,
            support: part === 'test' ? testCases.length : validationCases.length,
          });
        }
      }
      await store.saveConfusionMatrix(run.id, { task: 'malignancy', split: 'test', labels: [0, 1], counts: [[6, wrong], [0, 4]] });
      await store.saveRocCurve(run.id, { task: 'malignancy', split: 'test', classCode: 1, points: [{ fpr: 0, tpr: 0, threshold: 1 }, { fpr: 0.2, tpr: 0.8, threshold: 0.5 }, { fpr: 1, tpr: 1, threshold: 0 }] });
      const bytes = Buffer.from(`model weights of ${name}`);
      await store.saveArtifact(run.id, { path: `models/best-epoch-5.bundle`, kind: 'model', step: 5, data: bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
      await store.setRunStatus(run.id, 'finished', { at: T0 + 60_000 + i * 1000 });
    }
  }

  const failed = await store.createRun({ projectId: project.id, sweepId: sweep.id, groupKey: 'vgg16|1|64', name: 'vgg16 seed=3', backbone: 'vgg16', tasks: ['malignancy', 'morphology'], imageSize: 64, seed: 3, config: {}, datasetVersionId, splitId });
  runs.failed = failed.run.id;
  await store.setRunStatus(failed.run.id, 'running', { at: T0 });
  const checkpoint = Buffer.from('checkpoint');
  await store.saveArtifact(failed.run.id, { path: 'checkpoints/latest.ckpt', kind: 'checkpoint', step: 40, data: checkpoint, sha256: createHash('sha256').update(checkpoint).digest('hex') });
  await store.setRunStatus(failed.run.id, 'failed', { at: T0 + 30_000, error: 'Out of memory in the wasm heap at epoch 3' });

  const queued = await store.createRun({ projectId: project.id, sweepId: sweep.id, groupKey: 'vgg16|1|64', name: 'vgg16 seed=4', backbone: 'vgg16', tasks: ['malignancy', 'morphology'], imageSize: 64, seed: 4, config: {}, datasetVersionId, splitId });
  runs.queued = queued.run.id;

  // Trained on another split: it shares no test case with the sweep's runs... unless the splits
  // overlap, so its predictions use case ids outside the dataset.
  const other = await store.createRun({ projectId: otherProject.id, name: 'other split', backbone: 'resnet18', tasks: ['malignancy'], imageSize: 32, seed: 1, config: { imageSize: 32 }, datasetVersionId, splitId: otherSplitId });
  runs.other = other.run.id;
  await store.setRunStatus(other.run.id, 'running', { at: T0 });
  await store.logBatch(other.run.id, { predictions: predictionsFor(makeCases(5, 9).map((c) => ({ ...c, caseId: `elsewhere-${c.caseId}` })), 'test', 0) });
  await store.setRunStatus(other.run.id, 'finished', { at: T0 + 10_000 });

  return {
    db,
    repos,
    store,
    projectId: project.id,
    otherProjectId: otherProject.id,
    sweepId: sweep.id,
    datasetVersionId,
    splitId,
    testCases: testCases.map((c) => c.caseId),
    runs,
    drop: () => db.drop(),
  };
}
