// Training-step benchmark: `npx tsx tools/bench/src/train.ts [--help]`.
//
// One step = forward of both images through the shared backbone, 8 summed cross-entropies,
// backward, Adam; batch 8 pairs. Per case it prints ms/step on wasm and on cpu (capped: the cpu
// backend needs minutes per ResNet step), their ratio, the wasm step's achieved GFLOP/s next to
// the single-process matmul peak, and the same model and step in PyTorch with the same number
// of threads (1) where Debian's python3-torch is installed. Every measurement runs in its own
// child process; --concurrency also times one against two simultaneous training processes.
import { Command } from 'commander';
import { BATCH_SIZE, TRAIN_CASES, findTrainCase, type TrainCase } from './train-cases';
import type { CaseMeasurement } from './train-measure';
import { modelSource } from './train-models';
import { measureInChild, peakInChild, torchInChild, torchPython, type ChildOutcome } from './train-processes';
import { fastest, formatMs, formatRatio, median, table } from './train-stats';

interface Options {
  cases: string;
  steps: string;
  cpuCap: string;
  cpu: boolean;
  torch: boolean;
  concurrency: boolean;
  concurrencySteps: string;
}

const program = new Command()
  .name('train-bench')
  .description('Time one training step per backbone on the wasm and cpu backends and in PyTorch.')
  .option('--cases <ids>', `comma-separated cases (${TRAIN_CASES.map((c) => c.id).join(', ')})`, TRAIN_CASES.map((c) => c.id).join(','))
  .option('--steps <n>', 'timed steps per case after warm-up (the fastest is reported)', '5')
  .option('--cpu-cap <seconds>', 'stop a cpu-backend case after this long (one step)', '60')
  .option('--no-cpu', 'skip the cpu backend')
  .option('--no-torch', 'skip the PyTorch column')
  .option('--concurrency', 'also compare one training process against two running at once', false)
  // Long enough for V8 to finish optimising: over the first few steps its compiler threads use a
  // second core, which flatters one process alone (1.3 cores over 8 steps, 1.17 over 60).
  .option('--concurrency-steps <n>', 'timed steps per process in the --concurrency comparison', '60');

async function main(): Promise<void> {
  const options = program.parse().opts<Options>();
  const cases = options.cases.split(',').map((id) => findTrainCase(id.trim()));
  const steps = Math.max(1, Number(options.steps));
  const cpuCap = Number(options.cpuCap);

  const wasmPeak = await peakInChild('wasm');
  const cpuPeak = options.cpu ? await peakInChild('cpu') : undefined;
  const torch = options.torch ? torchPython() : { missing: 'skipped (--no-torch)' };
  if ('missing' in torch) console.log(`PyTorch column: ${torch.missing}`);

  const rows: string[][] = [];
  for (const trainCase of cases) {
    const wasm = await measureInChild(trainCase, 'wasm', steps, 120, 600);
    // PyTorch right after wasm, so both see the same load on the machine.
    const reference = 'python' in torch ? await torchInChild(torch.python, trainCase, BATCH_SIZE, 1, steps, 600) : undefined;
    const cpu = options.cpu ? await measureInChild(trainCase, 'cpu', 1, cpuCap, cpuCap + 30) : undefined;
    rows.push(reportRow(trainCase, wasm, cpu, reference, wasmPeak.ok ? wasmPeak.value.gflops : undefined, cpuCap));
    const row = rows[rows.length - 1];
    console.log(`${trainCase.id}: wasm ${row[1]}, cpu ${row[3]}, torch ${row[5]}`);
    for (const [name, outcome] of [['wasm', wasm], ['cpu', cpu], ['torch', reference]] as const) {
      if (outcome && !outcome.ok) console.log(`  ${trainCase.id} ${name}: ${outcome.reason}`);
    }
  }
  console.log('');
  console.log(
    table(
      ['case', 'wasm (median)', 'GFLOP/s', 'cpu', 'cpu/wasm', 'torch 1T', 'wasm/torch'],
      rows,
    ),
  );
  console.log('');
  console.log(`batch ${BATCH_SIZE} image pairs; ms/step is the fastest of ${steps} steps after 2 warm-up steps, median in brackets (cpu: one step, no warm-up, stopped when it runs past --cpu-cap ${cpuCap} s; the child gets 30 s more to start).`);
  console.log(`single-process matmul peak: wasm ${peakText(wasmPeak)}${cpuPeak ? `, cpu ${peakText(cpuPeak)}` : ''}.`);
  console.log('GFLOP/s counts conv and dense multiply-adds x2, times 3 for forward + both gradients.');
  console.log(`model definitions: ${modelSource}.`);
  if (options.concurrency) await concurrency(cases[0], Math.max(1, Number(options.concurrencySteps)));
}

function reportRow(
  trainCase: TrainCase,
  wasm: ChildOutcome<CaseMeasurement>,
  cpu: ChildOutcome<CaseMeasurement> | undefined,
  reference: ChildOutcome<{ msPerStep: number[] }> | undefined,
  peak: number | undefined,
  cpuCapSeconds: number,
): string[] {
  // The fastest step: other work on a shared machine only ever adds time.
  const wasmMs = wasm.ok ? fastest(wasm.value.msPerStep) : undefined;
  const cpuMs = cpu?.ok ? fastest(cpu.value.msPerStep) : undefined;
  const torchMs = reference?.ok ? fastest(reference.value.msPerStep) : undefined;
  const gflops = wasm.ok && wasmMs ? wasm.value.stepFlops / (wasmMs * 1e6) : undefined;
  const wasmMedian = wasm.ok ? median(wasm.value.msPerStep) : undefined;
  return [
    trainCase.id,
    wasm.ok ? `${formatMs(wasmMs)} (${formatMs(wasmMedian)})` : 'failed',
    gflops ? `${gflops.toFixed(1)}${peak ? ` (${((100 * gflops) / peak).toFixed(0)}%)` : ''}` : '—',
    cpu == null ? 'skipped' : cpu.ok ? formatMs(cpuMs) : `> ${cpuCapSeconds} s`,
    formatRatio(cpuMs && wasmMs ? cpuMs / wasmMs : undefined),
    reference == null ? 'n/a' : reference.ok ? formatMs(torchMs) : 'failed',
    formatRatio(wasmMs && torchMs ? wasmMs / torchMs : undefined),
  ];
}

function peakText(outcome: ChildOutcome<{ gflops: number; size: number }>): string {
  return outcome.ok ? `${outcome.value.gflops.toFixed(1)} GFLOP/s (${outcome.value.size}^3)` : `failed (${outcome.reason})`;
}

/** One process alone vs two at once on the same case: per-process step time and total throughput. */
async function concurrency(trainCase: TrainCase, steps: number): Promise<void> {
  console.log(`\nconcurrency (${trainCase.id}, wasm, median of ${steps} steps per process):`);
  const alone = await measureInChild(trainCase, 'wasm', steps, 120, 600);
  const pair = await Promise.all([0, 1].map(() => measureInChild(trainCase, 'wasm', steps, 120, 600)));
  if (!alone.ok || pair.some((p) => !p.ok)) {
    console.log('  a measurement failed; no concurrency figures');
    return;
  }
  const aloneMs = median(alone.value.msPerStep);
  const pairMs = pair.map((p) => (p.ok ? median(p.value.msPerStep) : Number.NaN));
  // Medians here: the point is the sustained rate while both processes compete.
  const speedup = pairMs.reduce((sum, ms) => sum + aloneMs / ms, 0);
  const cores = (outcome: ChildOutcome<CaseMeasurement>) => (outcome.ok ? outcome.value.coresUsed.toFixed(2) : '?');
  console.log(`  1 process: ${formatMs(aloneMs)}/step using ${cores(alone)} cores (CPU time / wall time: V8's GC and compiler threads count)`);
  console.log(`  2 processes: ${pairMs.map(formatMs).join(' and ')}/step using ${pair.map(cores).join(' and ')} cores`);
  console.log(`  throughput with 2 processes: ${speedup.toFixed(2)}x one process`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
