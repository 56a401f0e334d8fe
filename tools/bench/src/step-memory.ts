// Peak tensor memory of one training step (tf.profile), with the engine's lean backward pass on
// and off in the same process, interleaved: `npx tsx tools/bench/src/step-memory.ts --backbone
// densenet121 --size 96 --batch 8`. The wasm heap holds at most 4 GiB, so this is what decides
// which batches fit (the heap itself also keeps XNNPACK's buffers and some fragmentation).
import { Command } from 'commander';
import { initEngine, setLeanBackprop, tf, type BackendRequest } from '@ovus/ml-engine';
import { TASK_NAMES } from '@ovus/domain';
import { buildMultiTaskModel } from '@ovus/ml-models';
import type { TrainBatch } from '@ovus/ml-training';
import { positiveInt, runProgram } from './cli-options';
import { createTrainerStep } from './train-step';

interface Options {
  backbone: string;
  width: number;
  size: number;
  batch: number;
  steps: number;
  backend: BackendRequest;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;

async function main(options: Options): Promise<void> {
  const engine = await initEngine({ backend: options.backend });
  const model = buildMultiTaskModel({
    backbone: options.backbone,
    backboneOptions: { widthMultiplier: options.width },
    tasks: TASK_NAMES,
    inputSize: options.size,
  });
  const step = createTrainerStep(model, 1e-4);
  const { batch, size } = options;
  const input: TrainBatch = {
    bmus: tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor4D,
    ceus: tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 2) as tf.Tensor4D,
    labels: Object.fromEntries(TASK_NAMES.map((task) => [task, new Int32Array(batch)])) as TrainBatch['labels'],
  };
  step.run(input); // Adam's moments exist from here on, as in every later step
  const peaks: Record<'lean' | 'tfjs', number[]> = { lean: [], tfjs: [] };
  const times: Record<'lean' | 'tfjs', number[]> = { lean: [], tfjs: [] };
  for (let i = 0; i < options.steps; i += 1) {
    for (const mode of ['lean', 'tfjs'] as const) {
      setLeanBackprop(mode === 'lean');
      const started = performance.now();
      const profile = await tf.profile(() => {
        step.run(input);
      });
      times[mode].push(performance.now() - started);
      peaks[mode].push(profile.peakBytes);
    }
  }
  setLeanBackprop(true);
  const held = tf.memory().numBytes;
  const max = (values: number[]) => Math.max(...values);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
  console.log(`${options.backbone} x${options.width}, ${size} px, ${batch} image pair(s), ${engine.backend}, ${options.steps} steps each, interleaved`);
  console.log(`  between steps (weights, Adam's moments): ${mib(held)}`);
  console.log(`  peak during a step, lean backward pass:  ${mib(max(peaks.lean))}  (step ${median(times.lean).toFixed(0)} ms, profiled)`);
  console.log(`  peak during a step, tfjs alone:          ${mib(max(peaks.tfjs))}  (step ${median(times.tfjs).toFixed(0)} ms, profiled)`);
  console.log(`  lean / tfjs: ${(max(peaks.lean) / max(peaks.tfjs)).toFixed(2)}`);
}

const program = new Command()
  .name('step-memory')
  .description('Peak tensor memory of one training step, with the lean backward pass and without')
  .option('--backbone <name>', 'backbone', 'resnet18')
  .option('--width <x>', 'width multiplier', (value: string) => Number(value), 1)
  .option('--size <px>', 'input size', positiveInt('size'), 96)
  .option('--batch <n>', 'image pairs per step', positiveInt('batch'), 8)
  .option('--steps <n>', 'profiled steps per mode', positiveInt('steps'), 2)
  .option('--backend <name>', 'auto, tensorflow, wasm or cpu', 'wasm')
  .action(async (options: Options) => main(options));

runProgram(program);
