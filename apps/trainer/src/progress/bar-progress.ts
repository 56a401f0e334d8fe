// Progress as a live bar for a terminal (cli-progress): percentage, epoch, mean loss of the epoch,
// throughput and ETA. Several runs in one process share one MultiBar, one line each.
import cliProgress from 'cli-progress';
import { formatDuration, formatEnding, formatLoss, formatRate } from './format';
import { ProgressMeter } from './progress-meter';
import type { EpochProgress, StepProgress, TrainingEnd, TrainingPlan, TrainingProgress } from './types';

const FORMAT = '{label} {bar} {percentage}% | epoch {epoch}/{epochs} | loss {loss} | {rate} img/s | ETA {eta}';

export class BarProgress implements TrainingProgress {
  private readonly meter = new ProgressMeter(Date.now);
  private bar: cliProgress.SingleBar | undefined;

  constructor(
    private readonly multibar: cliProgress.MultiBar,
    private readonly label: string,
  ) {}

  private payload(epoch: number) {
    const m = this.meter;
    return {
      label: this.label,
      epoch,
      epochs: m.epochs,
      loss: formatLoss(m.epochMeanLoss),
      rate: formatRate(m.throughput),
      eta: formatDuration(m.etaMs),
    };
  }

  onStart(plan: TrainingPlan): void {
    this.meter.start(plan);
    this.bar = this.multibar.create(this.meter.totalSteps, 0, this.payload(1));
  }

  onStep(step: StepProgress): void {
    this.meter.step(step);
    this.bar?.update(this.meter.stepsDone, this.payload(step.epoch));
  }

  onEpoch(epoch: EpochProgress): void {
    const extra = Object.entries(epoch.metrics ?? {}).map(([k, v]) => `, ${k} ${v.toFixed(3)}`).join('');
    const validation = epoch.validationLoss === undefined ? '' : `, validation loss ${formatLoss(epoch.validationLoss)}`;
    const line = `${this.label} epoch ${epoch.epoch}: train loss ${formatLoss(epoch.trainLoss)}${validation}${extra}`;
    // Printed above the bars, so the history of epochs stays on screen.
    this.multibar.log(`${line}\n`);
  }

  onEnd(end: TrainingEnd): void {
    this.bar?.stop();
    if (this.bar) this.multibar.remove(this.bar);
    this.multibar.log(`${this.label} ${end.status} ${formatEnding(end, this.meter)}\n`);
  }
}

export function createMultiBar(stream: NodeJS.WritableStream): cliProgress.MultiBar {
  return new cliProgress.MultiBar(
    { format: FORMAT, stream, hideCursor: true, clearOnComplete: false, barsize: 24, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
}
