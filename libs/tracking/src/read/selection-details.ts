// The stored finding of one parameter, read back from its JSON (`selection_finding.details`, the
// analysis' ParameterFinding as it was written). The read side does not trust the JSON's shape: a
// field that is missing or of the wrong type reads as null, so an analysis stored by an older
// version of the code still opens (with fewer columns filled) instead of failing the page.

/** A mean with its 95% interval over runs (lo/hi null with one run). */
export interface StoredInterval {
  mean: number;
  n: number;
  lo: number | null;
  hi: number | null;
}

export interface StoredAssociation {
  /** Cases in the counts table and cases left out (a label missing). */
  n: number | null;
  missing: number | null;
  /** Which test gave `p` ("chi-square (Yates)", "Fisher exact", …). */
  test: string | null;
  chiSquare: number | null;
  df: number | null;
  p: number | null;
  pHolm: number | null;
  cramersV: number | null;
  mutualInformationBits: number | null;
  /** counts[row][0] = benign, [1] = malignant, one row per class code. */
  codes: number[];
  counts: number[][];
  note: string | null;
}

export interface StoredPredictability {
  f1: StoredInterval | null;
  auc: StoredInterval | null;
  /** Permutation chance level of macro F1 for the class balance; AUC's chance is 0.5. */
  chanceF1: number | null;
  chanceAuc: number;
  f1AboveChance: StoredInterval | null;
  runIds: string[];
  groups: { backbone: string; setting: string; f1: StoredInterval | null; auc: StoredInterval | null; runIds: string[] }[];
}

export interface StoredDelta {
  f1: StoredInterval | null;
  auc: StoredInterval | null;
  /** Paired t-test over replicates. */
  f1P: number | null;
  aucP: number | null;
  /** Same-case tests per pair of runs, where predictions were stored. */
  caseTests: { replicate: string; cases: number; mcnemarP: number | null; delongP: number | null }[];
  pairs: { replicate: string; withRun: string; withoutRun: string }[];
}

export interface StoredCriterion {
  status: string;
  detail: string;
}

export interface StoredFindingDetails {
  rank: number | null;
  reason: string | null;
  criteria: Record<string, StoredCriterion>;
  association: StoredAssociation;
  predictability: StoredPredictability | null;
  /** With the parameter's head removed from the all-task model, and trained alone with malignancy. */
  removed: StoredDelta | null;
  alone: StoredDelta | null;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

function interval(v: unknown): StoredInterval | null {
  const o = obj(v);
  const mean = num(o?.mean);
  if (!o || mean === null) return null;
  return { mean, n: num(o.n) ?? 0, lo: num(o.lo), hi: num(o.hi) };
}

function delta(v: unknown): StoredDelta | null {
  const o = obj(v);
  if (!o) return null;
  return {
    f1: interval(o.f1),
    auc: interval(o.auc),
    f1P: num(o.f1P),
    aucP: num(o.aucP),
    caseTests: arr(o.caseTests).map((t) => {
      const c = obj(t) ?? {};
      return { replicate: str(c.replicate) ?? '', cases: num(c.cases) ?? 0, mcnemarP: num(c.mcnemarP), delongP: num(c.delongP) };
    }),
    pairs: arr(o.pairs).map((p) => {
      const c = obj(p) ?? {};
      return { replicate: str(c.replicate) ?? '', withRun: str(c.withRun) ?? '', withoutRun: str(c.withoutRun) ?? '' };
    }),
  };
}

function predictability(v: unknown): StoredPredictability | null {
  const o = obj(v);
  if (!o) return null;
  const pooled = obj(o.pooled);
  return {
    f1: interval(pooled?.f1),
    auc: interval(pooled?.auc),
    chanceF1: num(pooled?.chanceF1) ?? num(o.chanceF1Prior),
    chanceAuc: num(o.chanceAuc) ?? 0.5,
    f1AboveChance: interval(pooled?.f1AboveChance),
    runIds: strings(pooled?.runIds),
    groups: arr(o.groups).map((g) => {
      const c = obj(g) ?? {};
      return { backbone: str(c.backbone) ?? '', setting: str(c.setting) ?? '', f1: interval(c.f1), auc: interval(c.auc), runIds: strings(c.runIds) };
    }),
  };
}

export function readFindingDetails(details: unknown): StoredFindingDetails {
  const o = obj(details) ?? {};
  const a = obj(o.association) ?? {};
  const chi = obj(a.chiSquare) ?? {};
  const table = obj(a.table) ?? {};
  const contribution = obj(o.contribution);
  const criteria: Record<string, StoredCriterion> = {};
  for (const [name, value] of Object.entries(obj(o.criteria) ?? {})) {
    const c = obj(value);
    if (c) criteria[name] = { status: str(c.status) ?? 'unknown', detail: str(c.detail) ?? '' };
  }
  return {
    rank: num(o.rank),
    reason: str(o.reason),
    criteria,
    association: {
      n: num(a.n),
      missing: num(table.missing),
      test: str(a.test),
      chiSquare: num(chi.statistic),
      df: num(chi.df),
      p: num(a.p),
      pHolm: num(a.pHolm),
      cramersV: num(a.cramersV),
      mutualInformationBits: num(a.mutualInformationBits),
      codes: arr(table.codes).filter((x): x is number => typeof x === 'number'),
      counts: arr(table.counts).map((row) => arr(row).map((x) => num(x) ?? 0)),
      note: str(a.note),
    },
    predictability: predictability(o.predictability),
    removed: delta(contribution?.removed),
    alone: delta(contribution?.alone),
  };
}

/** The rule as stored with the analysis: its sentences and thresholds (from `result`). */
export function readRule(result: unknown): { ruleText: string[]; thresholds: Record<string, number>; continuityCorrection: boolean | null } {
  const o = obj(result) ?? {};
  const thresholds: Record<string, number> = {};
  for (const [name, value] of Object.entries(obj(o.thresholds) ?? {})) if (typeof value === 'number') thresholds[name] = value;
  return { ruleText: strings(o.ruleText), thresholds, continuityCorrection: typeof o.continuityCorrection === 'boolean' ? o.continuityCorrection : null };
}

export interface StoredGreedyPath {
  stop: string;
  steps: { selected: string[]; f1: StoredInterval | null; gain: number | null; runIds: string[] }[];
  missing: string[][];
}

export function readGreedy(result: unknown): StoredGreedyPath | null {
  const g = obj(obj(result)?.greedy);
  if (!g) return null;
  return {
    stop: str(g.stop) ?? 'unknown',
    steps: arr(g.steps).map((s) => {
      const c = obj(s) ?? {};
      return { selected: strings(c.selected), f1: interval(c.f1), gain: num(c.gain), runIds: strings(c.runIds) };
    }),
    missing: arr(g.missing).map(strings),
  };
}
