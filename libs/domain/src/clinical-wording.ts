// How results are worded for clinicians: each task's classes in plain clinical words, and each
// score with what it means and how uncertain it is ("correct in 73% of 78 test cases; 95% CI
// 62–82%"). Used by the shared views; nothing here computes a score.
import { TASKS, type TaskName } from './tasks';

/** Plain words for each class of each task, in the order of TASKS[task].codes. */
export const CLINICAL_CLASS_WORDS: Readonly<Record<TaskName, readonly string[]>> = {
  blood_flow: ['no blood flow signal', 'blood flow signal present'],
  boundary: ['clear boundary', 'unclear boundary'],
  echogenicity: ['anechoic content', 'hypoechoic content', 'isoechoic content', 'hyperechoic content'],
  morphology: ['regular morphology', 'irregular morphology'],
  papillary: ['no papillary projection', 'papillary projection present'],
  septation: ['no septation', 'septation present'],
  solid: ['no solid component', 'solid component present'],
  malignancy: ['benign', 'malignant'],
};

export const RESEARCH_CAVEAT =
  'This is research software. These figures describe how a research model performed on a set of ' +
  'test images; they are not a diagnosis, have not been validated for clinical use, and must not be ' +
  'used to make decisions about any patient.';

/** What the model is asked to tell apart, in words: "blood flow signal present or no blood flow signal". */
export function clinicalQuestion(task: TaskName): string {
  const words = CLINICAL_CLASS_WORDS[task];
  if (words.length === 2) return `${words[1]} or ${words[0]}`;
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export function clinicalTitle(task: TaskName): string {
  return task === 'malignancy' ? 'Benign or malignant' : TASKS[task].title;
}

export interface ScoreWithInterval {
  value: number;
  lo: number | null;
  hi: number | null;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const interval = (lo: number | null, hi: number | null, format: (v: number) => string) =>
  lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi) ? 'no confidence interval (too few cases or runs)' : `95% CI ${format(lo).replace('%', '')}–${format(hi)}`;

/** "correct in 73% of 78 test cases; 95% CI 62–82%". */
export function describeAccuracy(score: ScoreWithInterval, testCases: number): string {
  return `correct in ${percent(score.value)} of ${testCases} test cases; ${interval(score.lo, score.hi, percent)}`;
}

/** "AUC 0.81; 95% CI 0.72–0.89 (0.5 is chance, 1 is perfect)". */
export function describeAuc(score: ScoreWithInterval): string {
  const two = (v: number) => v.toFixed(2);
  return `AUC ${two(score.value)}; ${interval(score.lo, score.hi, two)} (0.5 is no better than chance, 1 is perfect ranking)`;
}
