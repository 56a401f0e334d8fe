// A structured report for one BMUS/CEUS pair, in the words a gynaecological sonographer reads:
// findings (O-RADS US wording, with the model's probability), the impression with its caveats,
// which findings drove it, the IOTA Simple Rules verdict, what cannot be assigned, and that it is
// decision support. A data structure first; text, Markdown and PDF are renderings of it.
import { CLINICAL_PARAMETERS, PAPER_LABEL_COUNTS, TASKS, type ClinicalParameter, type TaskName } from '@ovus/domain';
import { evaluateSimpleRules, FEATURE_TITLES, VERDICT_TITLES, type FeatureName, type ParameterValues, type RuleEvaluation } from './iota-simple-rules';
import { oradsCandidates, PARAMETER_WORDING, type OradsAssessment } from './orads-wording';

export interface ReportHead {
  task: TaskName;
  /** In the order of TASKS[task].codes. */
  classes: { code: number; name: string; probability: number }[];
}

export interface ReportInput {
  caseId: string;
  images: { bmus: string; ceus: string };
  model: { runId: string; backbone: string; artifact: string; sha256: string; backend: string; inputSize: number };
  heads: readonly ReportHead[];
  /** Tasks the model has no head for. */
  absent: readonly TaskName[];
  /** Saliency overlays written for this pair, if any. */
  saliency?: { method: string; files: { task: TaskName; modality: 'bmus' | 'ceus'; file: string }[] };
  /** Warnings about the inputs (sizes, identical images). */
  warnings?: readonly string[];
  generatedAt: Date;
}

export interface Finding {
  parameter: ClinicalParameter;
  title: string;
  code: number;
  probability: number;
  text: string;
  limit?: string;
}

export interface Driver {
  parameter: ClinicalParameter;
  text: string;
  /** Likelihood ratio for malignancy of this finding in the paper's cohort (174 benign, 83 malignant). */
  likelihoodRatio: number;
  direction: 'towards malignant' | 'towards benign';
}

export interface StructuredReport {
  input: ReportInput;
  findings: Finding[];
  notAssessed: ClinicalParameter[];
  impression: { label: string; probability: number } | null;
  drivers: Driver[];
  rules: RuleEvaluation;
  orads: OradsAssessment;
  cannotAssign: string[];
  disclaimer: string;
}

const DISCLAIMER =
  'Decision support, not a diagnosis. Generated automatically by a machine-learning model from one BMUS and one CEUS image; ' +
  'it must be read and confirmed by a qualified sonographer or physician together with the full examination and clinical history.';

const CALIBRATION =
  'The probability is the model’s softmax output: it has not been calibrated on an independent cohort, so it should be read as a ranking, not as a risk.';

function argmax(head: ReportHead) {
  return head.classes.reduce((best, c) => (c.probability > best.probability ? c : best));
}

/** Positive-finding likelihood ratio P(finding | malignant) / P(finding | benign) in the paper's table, add-half smoothed. */
export function paperLikelihoodRatio(parameter: ClinicalParameter, code: number): number {
  const counts = PAPER_LABEL_COUNTS[parameter];
  const total = (side: Record<number, number>) => Object.values(side).reduce((a, b) => a + b, 0);
  const malignant = ((counts.malignant[code] ?? 0) + 0.5) / (total(counts.malignant) + 1);
  const benign = ((counts.benign[code] ?? 0) + 0.5) / (total(counts.benign) + 1);
  return malignant / benign;
}

export function buildStructuredReport(input: ReportInput): StructuredReport {
  const heads = new Map(input.heads.map((h) => [h.task, h]));
  const findings: Finding[] = [];
  const parameters: ParameterValues = {};
  for (const parameter of CLINICAL_PARAMETERS) {
    const head = heads.get(parameter);
    if (!head) {
      parameters[parameter] = null;
      continue;
    }
    const top = argmax(head);
    parameters[parameter] = top.code;
    const wording = PARAMETER_WORDING[parameter][top.code];
    findings.push({ parameter, title: TASKS[parameter].title, code: top.code, probability: top.probability, text: wording.text, ...(wording.limit ? { limit: wording.limit } : {}) });
  }
  const malignancy = heads.get('malignancy');
  const impression = malignancy ? { label: argmax(malignancy).name.toLowerCase(), probability: argmax(malignancy).probability } : null;
  const drivers = findings
    .map((f): Driver => {
      const lr = paperLikelihoodRatio(f.parameter, f.code);
      return { parameter: f.parameter, text: f.text, likelihoodRatio: lr, direction: lr >= 1 ? 'towards malignant' : 'towards benign' };
    })
    .filter((d) => d.likelihoodRatio >= 2 || d.likelihoodRatio <= 0.5)
    // Those in the impression's direction first, each group by strength.
    .sort((a, b) => {
      const towards = impression?.label === 'benign' ? 'towards benign' : 'towards malignant';
      const agree = Number(b.direction === towards) - Number(a.direction === towards);
      return agree !== 0 ? agree : Math.abs(Math.log(b.likelihoodRatio)) - Math.abs(Math.log(a.likelihoodRatio));
    });
  const rules = evaluateSimpleRules(parameters);
  const orads = oradsCandidates(parameters);
  const cannotAssign = [
    'lesion size (maximum diameter) — not measured from these images',
    'ascites and peritoneal thickening or nodules — outside the tumour images',
    'colour score 2 vs 3 vs 4 — the blood-flow head only says absent or present',
    'number of papillary projections (1–3 vs ≥ 4) and whether a solid-appearing lesion is ≥ 80 % solid',
    ...findings.filter((f) => f.parameter === 'echogenicity' && f.code !== 0).map(() => 'O-RADS cyst-content descriptors (e.g. ground-glass, hemorrhagic, dermoid features) — the model grades echogenicity instead'),
  ];
  return {
    input,
    findings,
    notAssessed: CLINICAL_PARAMETERS.filter((p) => !heads.has(p)),
    impression,
    drivers,
    rules,
    orads,
    cannotAssign,
    disclaimer: DISCLAIMER,
  };
}

// ---- Rendering: one list of blocks, written out as text, Markdown or PDF ----

export type Block = { kind: 'title'; text: string } | { kind: 'heading'; text: string } | { kind: 'paragraph'; text: string } | { kind: 'bullets'; items: string[] };

const percent = (p: number) => `${(100 * p).toFixed(0)}%`;

function featureLine(rules: RuleEvaluation, feature: FeatureName): string {
  const f = rules.features[feature];
  const value = f.value === 'unknown' ? `unknown (${f.why === 'missing' ? 'missing input' : 'not recorded'})` : f.value ? 'present' : 'absent';
  return `${feature} ${FEATURE_TITLES[feature]}: ${value}${'assumed' in f && f.assumed ? ' (assumed)' : ''} — ${f.basis}`;
}

export function reportBlocks(report: StructuredReport): Block[] {
  const { input, rules } = report;
  const blocks: Block[] = [
    { kind: 'title', text: 'Adnexal mass ultrasound — structured report (decision support)' },
    {
      kind: 'paragraph',
      text: `Case ${input.caseId}. Images: BMUS ${input.images.bmus}; CEUS ${input.images.ceus}. Generated ${input.generatedAt.toISOString()} by run ${input.model.runId} (${input.model.backbone}, ${input.model.inputSize} px, model ${input.model.artifact}, sha256 ${input.model.sha256.slice(0, 16)}…, backend ${input.model.backend}).`,
    },
    { kind: 'heading', text: 'Findings' },
    {
      kind: 'bullets',
      items: [
        ...report.findings.map((f) => `${f.title}: ${f.text} (model probability ${percent(f.probability)})${f.limit ? `. Note: ${f.limit}.` : '.'}`),
        ...report.notAssessed.map((p) => `${TASKS[p].title}: not assessed — this model has no head for it.`),
      ],
    },
    { kind: 'heading', text: 'Impression' },
    {
      kind: 'paragraph',
      text: report.impression
        ? `Model impression: ${report.impression.label} (probability ${percent(report.impression.probability)}). ${CALIBRATION}`
        : 'No benign/malignant impression: this model was not trained to classify malignancy.',
    },
    { kind: 'heading', text: 'Findings that drove it' },
    {
      kind: 'paragraph',
      text: report.drivers.length
        ? 'Findings with a strong association, by their likelihood ratio for malignancy in the source study’s 257 tumours, those supporting the impression first (an association in that cohort, not the model’s internal reasoning):'
        : 'None of the findings is strongly associated with malignancy or benignity in the source study’s cohort (likelihood ratios between 0.5 and 2).',
    },
    ...(report.drivers.length ? [{ kind: 'bullets' as const, items: report.drivers.map((d) => `${d.text}: likelihood ratio ${d.likelihoodRatio.toFixed(2)}, ${d.direction}`) }] : []),
    ...(input.saliency && input.saliency.files.length
      ? [{ kind: 'paragraph' as const, text: `Where the model looked: saliency overlays (${input.saliency.method}) for each finding and image: ${input.saliency.files.map((f) => f.file.split('/').pop()).join(', ')}.` }]
      : []),
    { kind: 'heading', text: 'IOTA Simple Rules (from the findings above)' },
    {
      kind: 'paragraph',
      text: `Verdict: ${VERDICT_TITLES[rules.verdict]}. With unknown features taken as absent: ${rules.ifUnknownAbsent}; as present: ${rules.ifUnknownPresent}.${
        rules.undecidedBy.length ? ` Undecided because of: ${rules.undecidedBy.map((u) => `${u.feature} (${u.why === 'missing' ? `missing ${u.needs?.join(', ')}` : 'not recorded by these parameters'})`).join(', ')}.` : ''
      }`,
    },
    { kind: 'bullets', items: ([...['B1', 'B2', 'B3', 'B4', 'B5'], ...['M1', 'M2', 'M3', 'M4', 'M5']] as FeatureName[]).map((f) => featureLine(rules, f)) },
    { kind: 'heading', text: 'O-RADS US' },
    { kind: 'paragraph', text: report.orads.statement },
    { kind: 'heading', text: 'Not assessed by this report' },
    { kind: 'bullets', items: report.cannotAssign },
    ...(input.warnings && input.warnings.length ? [{ kind: 'heading' as const, text: 'Input warnings' }, { kind: 'bullets' as const, items: [...input.warnings] }] : []),
    { kind: 'heading', text: 'Important' },
    { kind: 'paragraph', text: report.disclaimer },
  ];
  return blocks;
}

function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderText(report: StructuredReport, width = 100): string {
  const out: string[] = [];
  for (const block of reportBlocks(report)) {
    if (block.kind === 'title') out.push(block.text.toUpperCase(), '='.repeat(Math.min(width, block.text.length)));
    else if (block.kind === 'heading') out.push('', block.text.toUpperCase());
    else if (block.kind === 'paragraph') out.push(...wrap(block.text, width));
    else for (const item of block.items) out.push(...wrap(`- ${item}`, width, '  '));
  }
  return `${out.join('\n')}\n`;
}

export function renderMarkdown(report: StructuredReport): string {
  const out: string[] = [];
  for (const block of reportBlocks(report)) {
    if (block.kind === 'title') out.push(`# ${block.text}`, '');
    else if (block.kind === 'heading') out.push(`## ${block.text}`, '');
    else if (block.kind === 'paragraph') out.push(block.text, '');
    else out.push(...block.items.map((i) => `- ${i}`), '');
  }
  return out.join('\n');
}
