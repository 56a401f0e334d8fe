// The loop's events as tracking calls (which only enqueue: the loop never waits on the database)
// and as progress lines. Metric keys and steps:
//   per batch, step = global batch number (1, 2, … across epochs):
//     train/loss, train/loss/<task>
//   per epoch, step = epoch (1-based):
//     epoch/train_loss, epoch/train_loss/<task>, epoch/learning_rate, epoch/seconds, epoch/images_per_second,
//     val/loss, val/loss/<task>, val/<task>/accuracy|f1|auc, val/mean_accuracy, val/mean_f1
//   after training, step 0: final/<validation|test>/<task>/accuracy|precision|recall|f1|auc
// and the per-case predictions of validation and test (logPredictions, table run_prediction).
// The same run and seed give the same steps on every attempt, so re-logging after a resume
// overwrites nothing and duplicates nothing.
import type { TaskName } from '@ovus/domain';
import type { TaskScores } from '@ovus/ml-metrics';
import type { CasePrediction, EpochEvent, StepEvent, TrainingOutcome } from '@ovus/ml-training';
import type { RunHandle, ScoreWithCi } from '@ovus/tracking';
import type { TrainingProgress } from '../progress';

export function logStep(run: RunHandle, progress: TrainingProgress, event: StepEvent): void {
  const values: Record<string, number> = { 'train/loss': event.losses.total };
  for (const [task, loss] of Object.entries(event.losses.perTask)) values[`train/loss/${task}`] = loss as number;
  run.logMetrics(values, event.globalStep);
  progress.onStep({ epoch: event.epoch, step: event.step, loss: event.losses.total, examples: event.examples });
}

export function logEpoch(run: RunHandle, progress: TrainingProgress, event: EpochEvent): void {
  const values: Record<string, number> = {
    'epoch/train_loss': event.trainLoss.total,
    'epoch/learning_rate': event.learningRate,
    'epoch/seconds': event.durationMs / 1000,
    'epoch/images_per_second': event.examplesPerSecond,
  };
  for (const [task, loss] of Object.entries(event.trainLoss.perTask)) values[`epoch/train_loss/${task}`] = loss as number;
  const validation = event.validation;
  if (validation) {
    values['val/loss'] = validation.loss;
    values['val/mean_accuracy'] = validation.meanAccuracy;
    values['val/mean_f1'] = validation.meanF1;
    for (const [task, v] of Object.entries(validation.perTask)) {
      if (!v) continue;
      values[`val/loss/${task}`] = v.loss;
      values[`val/${task}/accuracy`] = v.accuracy;
      values[`val/${task}/f1`] = v.f1;
      values[`val/${task}/auc`] = v.auc;
    }
  }
  run.logMetrics(values, event.epoch);
  const glance: Record<string, number> = {};
  if (validation?.perTask.malignancy) glance['malignancy.f1'] = validation.perTask.malignancy.f1;
  if (validation) glance['mean.f1'] = validation.meanF1;
  progress.onEpoch({ epoch: event.epoch, trainLoss: event.trainLoss.total, validationLoss: validation?.loss, metrics: glance });
}

function withCi(value: number, ci: { lo: number | null; hi: number | null } | undefined): ScoreWithCi {
  const bound = (v: number | null | undefined) => (v === undefined || v === null || !Number.isFinite(v) ? null : v);
  return { value, lo: bound(ci?.lo), hi: bound(ci?.hi) };
}

/** Per task and split: the result with its bootstrap intervals, the confusion matrix and the ROC curve(s). */
export function logResults(run: RunHandle, outcome: TrainingOutcome): void {
  const summary: Record<string, number> = {};
  for (const split of ['validation', 'test'] as const) {
    for (const [task, scores] of Object.entries(outcome.results[split]) as [TaskName, TaskScores][]) {
      const ci = scores.ci;
      run.logTaskResult({
        task,
        split,
        averaging: scores.averaging,
        accuracy: withCi(scores.accuracy, ci?.accuracy),
        precision: withCi(scores.precision, ci?.precision),
        recall: withCi(scores.recall, ci?.recall),
        f1: withCi(scores.f1, ci?.f1),
        auc: scores.auc === null ? null : withCi(scores.auc, ci?.auc),
        support: scores.n,
      });
      run.logConfusionMatrix({ task, split, labels: scores.classes, counts: scores.confusion.counts });
      for (const { class: classCode, curve } of scores.roc) {
        if (!curve) continue;
        run.logRocCurve({
          task,
          split,
          classCode,
          points: Array.from(curve.fpr, (fpr, i) => ({ fpr, tpr: curve.tpr[i], threshold: curve.thresholds[i] })),
        });
      }
      for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) summary[`final/${split}/${task}/${metric}`] = scores[metric];
      summary[`final/${split}/${task}/auc`] = scores.auc ?? Number.NaN;
    }
  }
  run.logMetrics(summary, 0);
  // Every case's prediction per task: paired tests between runs (McNemar, DeLong) match them by case id.
  for (const split of ['validation', 'test'] as const) {
    for (const [task, cases] of Object.entries(outcome.predictions[split]) as [TaskName, CasePrediction[]][]) {
      run.logPredictions(cases.map((c) => ({ split, task, ...c })));
    }
  }
}
