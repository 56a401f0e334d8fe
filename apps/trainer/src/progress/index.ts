export { createProgressDisplay, type ProgressDisplay, type ProgressDisplayOptions } from './progress-display';
export { PlainProgress, type PlainProgressOptions } from './plain-progress';
export { BarProgress } from './bar-progress';
export { formatDuration } from './format';
export {
  SILENT_PROGRESS,
  type EpochProgress,
  type StepProgress,
  type TrainingEnd,
  type TrainingPlan,
  type TrainingProgress,
} from './types';
