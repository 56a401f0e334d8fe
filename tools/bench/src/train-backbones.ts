// Every backbone of the paper trains on the chosen backend: `npx tsx tools/bench/src/train-backbones.ts
// [--backend wasm] [--size 64] [--width 0.25]`. One multi-task model per backbone (8 heads, shared
// fusion, batch 2 pairs at the smallest size the backbone accepts from --size up), two training
// steps; prints the step time and the loss, and fails if a kernel is missing or a loss is not
// finite. This is how the engine's kernel set is checked against all 13 architectures. A backbone
// that overruns the wasm heap kills the engine of this process: the rest are then listed as not
// tried (`--backbones` runs chosen ones, e.g. one per process to see which fit).
import { Command } from 'commander';
import { initEngine, isEngineCrash, tf, type BackendRequest } from '@ovus/ml-engine';
import { TASK_NAMES, TASKS } from '@ovus/domain';
import { buildMultiTaskModel, listBackbones } from '@ovus/ml-models';
import type { TrainBatch } from '@ovus/ml-training';
import { createTrainerStep } from './train-step';
import { table } from './train-stats';

const options = new Command()
  .option('--backend <name>', 'auto, tensorflow, wasm or cpu', 'wasm')
  .option('--size <px>', 'smallest input size to try', '32')
  .option('--width <multiplier>', 'width multiplier for every backbone (smaller is faster)', '0.25')
  .option('--batch <n>', 'image pairs per step', '2')
  .option('--backbones <names>', 'comma-separated backbones to try (default: all 13)')
  .parse()
  .opts<{ backend: BackendRequest; size: string; width: string; batch: string; backbones?: string }>();

async function main(): Promise<void> {
  const engine = await initEngine({ backend: options.backend });
  console.log(`backend ${engine.backend}${engine.reasons.length ? ` (${engine.reasons.join('; ')})` : ''}`);
  const batchSize = Number(options.batch);
  const rows: string[][] = [];
  let failures = 0;
  const wanted = options.backbones ? options.backbones.split(',').map((b) => b.trim()) : null;
  const backbones = listBackbones().filter((b) => !wanted || wanted.includes(b.name));
  let deadAt: string | null = null;
  for (const backbone of backbones) {
    if (deadAt) {
      rows.push([backbone.name, '—', '—', '—', `not tried: the engine died at ${deadAt} (try it alone with --backbones ${backbone.name})`]);
      failures++;
      continue;
    }
    const { minimum, step } = backbone.inputSize;
    const smallest = Math.max(minimum, Number(options.size));
    const inputSize = minimum + Math.ceil((smallest - minimum) / step) * step;
    try {
      const model = buildMultiTaskModel({
        backbone: backbone.name,
        backboneOptions: { widthMultiplier: Number(options.width) },
        tasks: TASK_NAMES,
        inputSize,
      });
      const trainStep = createTrainerStep(model, 1e-3);
      const batch: TrainBatch = {
        bmus: tf.randomUniform([batchSize, inputSize, inputSize, 3], 0, 1, 'float32', 1) as tf.Tensor4D,
        ceus: tf.randomUniform([batchSize, inputSize, inputSize, 3], 0, 1, 'float32', 2) as tf.Tensor4D,
        labels: Object.fromEntries(
          TASK_NAMES.map((task) => [task, Int32Array.from({ length: batchSize }, (_, i) => i % TASKS[task].codes.length)]),
        ) as TrainBatch['labels'],
      };
      trainStep.run(batch);
      const t0 = performance.now();
      const { total } = trainStep.run(batch);
      const ms = performance.now() - t0;
      if (!Number.isFinite(total)) throw new Error(`loss ${total}`);
      rows.push([backbone.name, `${inputSize}`, `${ms.toFixed(0)} ms`, total.toFixed(3), 'ok']);
      tf.dispose([batch.bmus, batch.ceus]);
      trainStep.dispose();
      model.dispose();
    } catch (error) {
      failures++;
      // A heap overrun kills this process's wasm instance: nothing after it could run here.
      if (isEngineCrash(error)) deadAt = backbone.name;
      const what = isEngineCrash(error) ? 'OUT OF MEMORY (engine dead)' : 'FAILED';
      rows.push([backbone.name, `${inputSize}`, '—', '—', `${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`]);
    }
  }
  console.log(table(['backbone', 'px', 'step', 'loss', 'status'], rows));
  console.log(`width x${options.width}, batch ${batchSize} image pairs, second of two steps timed.`);
  if (failures > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
