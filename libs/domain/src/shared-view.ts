// What a clinician sees through a share link, composed from plain result rows: each clinical
// parameter in plain words with what its number means and how uncertain it is, and the research
// caveat. The input carries only scores and counts; no case, patient, image, config or artifact
// reaches this file, so none can reach the page.
import {
  CLINICAL_CLASS_WORDS,
  clinicalQuestion,
  clinicalTitle,
  describeAccuracy,
  describeAuc,
  RESEARCH_CAVEAT,
  type ScoreWithInterval,
} from './clinical-wording';
import { isTaskName, PAPER_SELECTED_PARAMETERS, TASK_NAMES, type TaskName } from './tasks';

/** One task's test-split scores of one run (from task_result). */
export interface TaskScoreRow {
  task: string;
  accuracy: number;
  accuracyLo: number | null;
  accuracyHi: number | null;
  auc: number | null;
  aucLo: number | null;
  aucHi: number | null;
  support: number;
}

export interface ClinicalFinding {
  task: TaskName;
  title: string;
  /** "blood flow signal present or no blood flow signal" */
  question: string;
  classes: readonly string[];
  accuracy: ScoreWithInterval & { testCases: number; text: string };
  auc: (ScoreWithInterval & { text: string }) | null;
}

export interface SharedRunView {
  kind: 'run';
  caveat: string;
  /** "Not finished yet" and similar, when there is nothing to show. */
  notice: string | null;
  model: string;
  findings: ClinicalFinding[];
}

/** Per model (group of training runs that differ only in seed or fold) of a sweep. */
export interface SweepModelRow {
  backbone: string;
  runs: number;
  testCases: number;
  accuracy: ScoreWithInterval;
}

export interface SharedSweepView {
  kind: 'sweep';
  caveat: string;
  notice: string | null;
  question: string;
  models: { model: string; runs: number; text: string; accuracy: ScoreWithInterval; testCases: number }[];
}

export interface SelectionFindingRow {
  parameter: string;
  selected: boolean;
  ablationDelta: number | null;
  ablationLo: number | null;
  ablationHi: number | null;
  association: number | null;
  associationP: number | null;
  /** The rule's verdict per criterion ('pass', 'fail', 'not-evaluated'), when the analysis stored them. */
  criteria?: Partial<Record<SelectionCriterion, string>>;
}

export type SelectionCriterion = 'association' | 'balance' | 'predictability' | 'contribution';

// Why a parameter was kept or dropped, in plain words: one phrase per criterion the analysis decided.
const CRITERION_WORDS: Record<SelectionCriterion, { pass: string; fail: string }> = {
  association: {
    pass: 'it is clearly linked with malignancy in the labelled cases',
    fail: 'its link with malignancy in the labelled cases was too weak or too uncertain',
  },
  balance: { pass: 'each of its forms is common enough to judge', fail: 'one of its forms is too rare among the cases to judge reliably' },
  predictability: {
    pass: 'the model recognises it from the images clearly better than chance',
    fail: 'the model could not recognise it from the images clearly better than chance',
  },
  contribution: {
    pass: 'learning it alongside did not make the benign-or-malignant call worse',
    fail: 'learning it alongside made the benign-or-malignant call worse',
  },
};

function whySentence(selected: boolean, criteria: Partial<Record<SelectionCriterion, string>> | undefined): string | null {
  if (!criteria) return null;
  const order: SelectionCriterion[] = ['association', 'balance', 'predictability', 'contribution'];
  const phrases = selected
    ? order.filter((c) => criteria[c] === 'pass' && c !== 'balance').map((c) => CRITERION_WORDS[c].pass)
    : order.filter((c) => criteria[c] === 'fail').map((c) => CRITERION_WORDS[c].fail);
  if (phrases.length === 0) return null;
  const text = phrases.length === 1 ? phrases[0] : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
  return `${selected ? 'Kept because' : 'Not kept because'} ${text}.`;
}

export interface SharedSelectionView {
  kind: 'selection';
  caveat: string;
  notice: string | null;
  parameters: { parameter: string; title: string; kept: boolean; sentences: string[] }[];
}

export type SharedView = SharedRunView | SharedSweepView | SharedSelectionView;

/** "ResNet-18"-style display names would need a table; the registry name, spaced, is honest enough. */
function modelName(backbone: string): string {
  return `${backbone} network`;
}

export function composeRunView(run: { backbone: string; finished: boolean }, rows: readonly TaskScoreRow[]): SharedRunView {
  const byTask = new Map(rows.filter((row) => isTaskName(row.task)).map((row) => [row.task as TaskName, row]));
  const findings = TASK_NAMES.filter((task) => byTask.has(task)).map((task) => finding(task, byTask.get(task)!));
  const notice = !run.finished ? 'This model has not finished training; results appear here when it has.' : findings.length === 0 ? 'No test results were recorded for this model.' : null;
  return { kind: 'run', caveat: RESEARCH_CAVEAT, notice, model: modelName(run.backbone), findings: run.finished ? findings : [] };
}

function finding(task: TaskName, row: TaskScoreRow): ClinicalFinding {
  const accuracy = { value: row.accuracy, lo: row.accuracyLo, hi: row.accuracyHi };
  const auc = row.auc === null || !Number.isFinite(row.auc) ? null : { value: row.auc, lo: row.aucLo, hi: row.aucHi };
  return {
    task,
    title: clinicalTitle(task),
    question: clinicalQuestion(task),
    classes: CLINICAL_CLASS_WORDS[task],
    accuracy: { ...accuracy, testCases: row.support, text: describeAccuracy(accuracy, row.support) },
    auc: auc && { ...auc, text: describeAuc(auc) },
  };
}

export function composeSweepView(models: readonly SweepModelRow[]): SharedSweepView {
  return {
    kind: 'sweep',
    caveat: RESEARCH_CAVEAT,
    notice: models.length === 0 ? 'No model of this comparison has finished training yet.' : null,
    question: `Each model was asked: ${clinicalQuestion('malignancy')}? Figures are averages over the model's training runs.`,
    models: [...models]
      .sort((a, b) => b.accuracy.value - a.accuracy.value)
      .map((m) => ({
        model: modelName(m.backbone),
        runs: m.runs,
        testCases: m.testCases,
        accuracy: m.accuracy,
        text: `${describeAccuracy(m.accuracy, m.testCases)}${m.runs > 1 ? ` (average of ${m.runs} training runs)` : ''}`,
      })),
  };
}

const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(2)}`;

export function composeSelectionView(findings: readonly SelectionFindingRow[]): SharedSelectionView {
  const parameters = findings
    .filter((f) => isTaskName(f.parameter) && f.parameter !== 'malignancy')
    .map((f) => {
      const task = f.parameter as TaskName;
      const why = whySentence(f.selected, f.criteria);
      const sentences: string[] = [why ?? (f.selected ? 'Kept as a key parameter.' : 'Not kept as a key parameter.')];
      if (f.ablationDelta !== null && Number.isFinite(f.ablationDelta)) {
        const ci = f.ablationLo !== null && f.ablationHi !== null ? `; 95% CI ${signed(f.ablationLo)} to ${signed(f.ablationHi)}` : '';
        sentences.push(
          // The stored delta is (with the feature's head) − (without it): say it in that direction.
          `Learning this feature alongside, compared with leaving it out, changed how well the model tells benign from malignant by ${signed(f.ablationDelta)} on the F1 score (0 to 1, higher is better)${ci}.`,
        );
      }
      if (f.association !== null && Number.isFinite(f.association)) {
        const p = f.associationP === null ? '' : f.associationP < 0.001 ? ', p < 0.001' : `, p = ${f.associationP.toFixed(3)}`;
        sentences.push(`In the labelled cases its link with malignancy has strength ${f.association.toFixed(2)} on a 0 to 1 scale (Cramér's V${p}).`);
      }
      sentences.push(
        (PAPER_SELECTED_PARAMETERS as readonly string[]).includes(task)
          ? 'The published study this work follows also chose it as a key feature.'
          : 'The published study this work follows did not choose it as a key feature.',
      );
      return { parameter: task, title: clinicalTitle(task), kept: f.selected, sentences };
    });
  return {
    kind: 'selection',
    caveat: RESEARCH_CAVEAT,
    notice: parameters.length === 0 ? 'This analysis has no findings yet.' : null,
    parameters,
  };
}
