// Child process of train.ts: measures one case on one backend (or the backend's matmul peak) and
// prints one "RESULT {json}" line. Run in its own process so every measurement starts from a
// fresh heap, and so the parent can stop a cpu-backend step that runs past its time cap.
import { initEngine, tf, type BackendName } from '@ovus/ml-engine';
import { BATCH_SIZE, findTrainCase } from './train-cases';
import { trainingStepFlops } from './train-flops';
import { buildBenchModel, modelSource } from './train-models';
import { createTrainStep } from './train-step';

export interface CaseMeasurement {
  kind: 'case';
  caseId: string;
  backend: BackendName;
  msPerStep: number[];
  /** CPU time of the whole process over the timed steps divided by their wall time: above 1 when
   * V8's helper threads (parallel garbage collection, compilation) run on another core. */
  coresUsed: number;
  stepFlops: number;
  modelSource: string;
}

export interface PeakMeasurement {
  kind: 'peak';
  backend: BackendName;
  gflops: number;
  size: number;
}

export async function measureCase(caseId: string, backend: BackendName, steps: number, budgetSeconds: number): Promise<CaseMeasurement> {
  await initEngine({ backend });
  const spec = findTrainCase(caseId);
  const model = buildBenchModel(spec);
  const step = createTrainStep(model, BATCH_SIZE, spec.inputSize);
  const probe = [0, 1].map(() => tf.zeros([BATCH_SIZE, spec.inputSize, spec.inputSize, 3]));
  const stepFlops = await trainingStepFlops(model, probe);
  tf.dispose(probe);
  // The cpu backend is too slow to spare warm-up steps; the others get two (kernel set-up,
  // XNNPACK operator creation, heap growth).
  const warmUp = backend === 'cpu' ? 0 : 2;
  for (let i = 0; i < warmUp; i++) step.run();
  const msPerStep: number[] = [];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  while (msPerStep.length < steps && (msPerStep.length === 0 || performance.now() - started < budgetSeconds * 1000)) {
    const t0 = performance.now();
    const loss = step.run();
    msPerStep.push(performance.now() - t0);
    if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} on ${backend} for ${caseId}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const coresUsed = (cpu.user + cpu.system) / 1000 / (performance.now() - started);
  step.dispose();
  return { kind: 'case', caseId, backend, msPerStep, coresUsed, stepFlops, modelSource };
}

/** Best plain square matmul throughput of one process on the backend. */
export async function measureMatmulPeak(backend: BackendName): Promise<PeakMeasurement> {
  await initEngine({ backend });
  const size = backend === 'cpu' ? 384 : 1024;
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < (backend === 'cpu' ? 3 : 8); i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    best = Math.min(best, performance.now() - t0);
    c.dispose();
  }
  tf.dispose([a, b]);
  return { kind: 'peak', backend, gflops: (2 * size ** 3) / (best * 1e6), size };
}

async function main(argv: string[]): Promise<void> {
  const [mode, ...rest] = argv;
  const result =
    mode === 'peak'
      ? await measureMatmulPeak(rest[0] as BackendName)
      : await measureCase(rest[0], rest[1] as BackendName, Number(rest[2] ?? 5), Number(rest[3] ?? 60));
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

if (process.argv[1]?.endsWith('train-measure.ts')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
