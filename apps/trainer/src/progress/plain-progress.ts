// Progress as plain lines, for logs and pipes (no TTY): a line at the start, at most one step line
// per interval, one per epoch, and one at the end. Every line starts with the run's label, so
// several runs in one log stay readable.
import { formatDuration, formatEnding, formatLoss, formatRate } from './format';
import { ProgressMeter } from './progress-meter';
import type { EpochProgress, StepProgress, TrainingEnd, TrainingPlan, TrainingProgress } from './types';

export interface PlainProgressOptions {
  label: string;
  write: (line: string) => void;
  /** Least time between two step lines. */
  intervalMs?: number;
  now?: () => number;
}

export class PlainProgress implements TrainingProgress {
  private readonly meter: ProgressMeter;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastLineAt = 0;

  constructor(private readonly options: PlainProgressOptions) {
    this.now = options.now ?? Date.now;
    this.meter = new ProgressMeter(this.now);
    this.intervalMs = options.intervalMs ?? 10_000;
  }

  private line(text: string): void {
    this.options.write(`[${this.options.label}] ${text}\n`);
    this.lastLineAt = this.now();
  }

  onStart(plan: TrainingPlan): void {
    this.meter.start(plan);
    this.line(`start: ${plan.epochs} epochs × ${plan.stepsPerEpoch} steps, batch ${plan.batchSize}`);
  }

  onStep(step: StepProgress): void {
    this.meter.step(step);
    if (this.now() - this.lastLineAt < this.intervalMs) return;
    const m = this.meter;
    const percent = Math.floor((100 * m.stepsDone) / m.totalSteps);
    this.line(
      `epoch ${step.epoch}/${m.epochs} step ${step.step}/${m.stepsPerEpoch} (${percent}%) ` +
        `loss ${formatLoss(m.epochMeanLoss)} ${formatRate(m.throughput)} img/s ETA ${formatDuration(m.etaMs)}`,
    );
  }

  onEpoch(epoch: EpochProgress): void {
    const parts = [`train loss ${formatLoss(epoch.trainLoss)}`];
    if (epoch.validationLoss !== undefined) parts.push(`validation loss ${formatLoss(epoch.validationLoss)}`);
    for (const [name, value] of Object.entries(epoch.metrics ?? {})) parts.push(`${name} ${value.toFixed(3)}`);
    this.line(`epoch ${epoch.epoch}/${this.meter.epochs} done (${formatDuration(this.meter.elapsedMs)} elapsed): ${parts.join(', ')}`);
  }

  onEnd(end: TrainingEnd): void {
    const what = end.status === 'finished' ? 'finished' : end.status === 'stopped' ? 'stopped' : 'FAILED';
    this.line(`${what} ${formatEnding(end, this.meter)}`);
  }
}
