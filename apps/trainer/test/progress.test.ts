import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressDisplay, formatDuration, PlainProgress } from '../src/progress';

function plainRun(intervalMs: number) {
  let now = 0;
  const lines: string[] = [];
  const progress = new PlainProgress({ label: 'resnet18-64px seed=0', write: (l) => lines.push(l), intervalMs, now: () => now });
  return { progress, lines, advance: (ms: number) => (now += ms) };
}

describe('plain progress (no TTY)', () => {
  it('prints start, throttled step lines with loss, throughput and ETA, epochs and the end', () => {
    const { progress, lines, advance } = plainRun(10_000);
    progress.onStart({ epochs: 2, stepsPerEpoch: 10, batchSize: 8 });
    for (let epoch = 1; epoch <= 2; epoch += 1) {
      for (let step = 1; step <= 10; step += 1) {
        advance(2_000); // 2 s per step of 8 images: 4 img/s
        progress.onStep({ epoch, step, loss: epoch === 1 ? 1 + step / 10 : 0.5, examples: 8 });
      }
      progress.onEpoch({ epoch, trainLoss: epoch === 1 ? 1.55 : 0.5, validationLoss: 0.75, metrics: { 'malignancy.f1': 0.6125 } });
    }
    progress.onEnd({ status: 'finished', epochs: 2 });

    expect(lines).toEqual([
      '[resnet18-64px seed=0] start: 2 epochs × 10 steps, batch 8\n',
      // 10 s after the start line: step 5 of 20, mean loss of 1.1..1.5, 10 s left per 5 steps → 30 s.
      '[resnet18-64px seed=0] epoch 1/2 step 5/10 (25%) loss 1.3000 4.0 img/s ETA 30s\n',
      '[resnet18-64px seed=0] epoch 1/2 step 10/10 (50%) loss 1.5500 4.0 img/s ETA 20s\n',
      '[resnet18-64px seed=0] epoch 1/2 done (20s elapsed): train loss 1.5500, validation loss 0.7500, malignancy.f1 0.613\n',
      '[resnet18-64px seed=0] epoch 2/2 step 5/10 (75%) loss 0.5000 4.0 img/s ETA 10s\n',
      '[resnet18-64px seed=0] epoch 2/2 step 10/10 (100%) loss 0.5000 4.0 img/s ETA 0s\n',
      '[resnet18-64px seed=0] epoch 2/2 done (40s elapsed): train loss 0.5000, validation loss 0.7500, malignancy.f1 0.613\n',
      '[resnet18-64px seed=0] finished after 2 epochs in 40s\n',
    ]);
  });

  it('prints no step line before the interval has passed since the last line', () => {
    const { progress, lines, advance } = plainRun(60_000);
    progress.onStart({ epochs: 1, stepsPerEpoch: 100, batchSize: 4 });
    for (let step = 1; step <= 100; step += 1) {
      advance(500);
      progress.onStep({ epoch: 1, step, loss: 0.7, examples: 4 });
    }
    expect(lines).toHaveLength(1);
  });

  it('says when a run failed, and why', () => {
    const { progress, lines, advance } = plainRun(10_000);
    progress.onStart({ epochs: 3, stepsPerEpoch: 1, batchSize: 1 });
    advance(65_000);
    progress.onEnd({ status: 'failed', epochs: 1, error: 'out of memory' });
    expect(lines.at(-1)).toBe('[resnet18-64px seed=0] FAILED after 1 epochs in 1m05s: out of memory\n');
  });

  it('says when a run failed before its training started', () => {
    const { progress, lines, advance } = plainRun(10_000);
    advance(1_796_000_000_000); // a wall clock, which a duration must not be measured from
    progress.onEnd({ status: 'failed', epochs: 0, error: "Cannot read image '/data/C001_bmus.png'" });
    expect(lines).toEqual(["[resnet18-64px seed=0] FAILED before training started: Cannot read image '/data/C001_bmus.png'\n"]);
  });

  it('is what the display picks for a stream that is not a terminal', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let output = '';
    (stream as unknown as PassThrough).on('data', (d: Buffer) => (output += d.toString()));
    const display = createProgressDisplay({ stream });
    const run = display.forRun('demo');
    run.onStart({ epochs: 1, stepsPerEpoch: 2, batchSize: 2 });
    run.onEnd({ status: 'stopped', epochs: 0 });
    display.close();
    expect(output).toMatch(/^\[demo\] start: 1 epochs × 2 steps, batch 2\n\[demo\] stopped after 0 epochs in 0s\n$/);
  });
});

describe('formatDuration', () => {
  it('uses s, m and h', () => {
    expect([0, 59_400, 61_000, 3_600_000 + 120_000, Number.NaN].map(formatDuration)).toEqual(['0s', '59s', '1m01s', '1h02m', '?']);
  });
});
