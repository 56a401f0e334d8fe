// The arithmetic behind a progress display: steps done, mean loss of the epoch so far,
// throughput and ETA over the whole run. Kept apart from drawing so both displays agree.
import type { StepProgress, TrainingPlan } from './types';

export class ProgressMeter {
  private plan: TrainingPlan = { epochs: 1, stepsPerEpoch: 1, batchSize: 1 };
  private startedAt: number | null = null;
  private examples = 0;
  private epochLossSum = 0;
  private epochSteps = 0;
  private currentEpoch = 0;
  private done = 0;

  constructor(private readonly now: () => number) {}

  start(plan: TrainingPlan): void {
    this.plan = plan;
    this.startedAt = this.now();
  }

  step(step: StepProgress): void {
    if (step.epoch !== this.currentEpoch) {
      this.currentEpoch = step.epoch;
      this.epochLossSum = 0;
      this.epochSteps = 0;
    }
    this.epochLossSum += step.loss;
    this.epochSteps += 1;
    this.examples += step.examples;
    this.done = (step.epoch - 1) * this.plan.stepsPerEpoch + step.step;
  }

  get totalSteps(): number {
    return this.plan.epochs * this.plan.stepsPerEpoch;
  }
  get stepsDone(): number {
    return this.done;
  }
  get epochs(): number {
    return this.plan.epochs;
  }
  get stepsPerEpoch(): number {
    return this.plan.stepsPerEpoch;
  }
  get epochMeanLoss(): number {
    return this.epochSteps === 0 ? Number.NaN : this.epochLossSum / this.epochSteps;
  }
  /** False until start(): a run can fail before its training starts (e.g. an image is missing). */
  get started(): boolean {
    return this.startedAt !== null;
  }
  get elapsedMs(): number {
    return this.startedAt === null ? 0 : this.now() - this.startedAt;
  }
  /** Images per second since the start. */
  get throughput(): number {
    const seconds = this.elapsedMs / 1000;
    return seconds > 0 ? this.examples / seconds : Number.NaN;
  }
  /** Remaining time at the average step time so far. */
  get etaMs(): number {
    if (this.done === 0) return Number.NaN;
    return (this.elapsedMs / this.done) * (this.totalSteps - this.done);
  }
}
