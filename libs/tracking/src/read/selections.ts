// Clinical-parameter selection analyses as the dashboard reads them: a project's history (newest
// first, keyset pages), one analysis with its rule and its findings, and each parameter's scores
// across the project's analyses over time (the chart of how the choice moves as runs land).
import type pg from 'pg';
import { TrackingInputError } from '../errors';
import { checkRunId } from '../validation';
import { cursorText, decodeCursor, encodeCursor } from './cursor';
import type { Page } from './projects-sweeps';
import { readFindingDetails, readGreedy, readRule, type StoredFindingDetails, type StoredGreedyPath } from './selection-details';

export const MAX_SELECTION_PAGE = 100;
/** The most analyses the over-time chart reads (the newest ones). */
export const MAX_SELECTION_TIMELINE = 200;

export interface SelectionSummary {
  id: string;
  projectId: string;
  projectName: string;
  /** The main sweep analysed (null: counts only, or the sweep was deleted). */
  sweepId: string | null;
  sweepName: string | null;
  sweepIds: string[];
  datasetVersionId: string | null;
  method: string;
  selected: string[];
  runCount: number;
  codeVersion: string | null;
  createdAt: number;
}

export interface SelectionFindingRecord extends StoredFindingDetails {
  parameter: string;
  selected: boolean;
}

export interface SelectionDetail extends SelectionSummary {
  runIds: string[];
  /** Thresholds and options as stored (labels used, cases left out). */
  config: unknown;
  ruleText: string[];
  thresholds: Record<string, number>;
  continuityCorrection: boolean | null;
  greedy: StoredGreedyPath | null;
  /** In rank order (kept first), as the analysis ranked them. */
  findings: SelectionFindingRecord[];
}

/** One parameter's scores in one analysis: a point of the over-time chart. */
export interface SelectionScorePoint {
  analysisId: string;
  createdAt: number;
  parameter: string;
  selected: boolean;
  cramersV: number | null;
  pHolm: number | null;
  /** Pooled macro F1 and AUC of the parameter's own head (null: no runs analysed). */
  f1: number | null;
  auc: number | null;
  /** Malignancy F1 change when the parameter's head is removed (null: no ablation runs). */
  f1Delta: number | null;
}

interface SummaryRow {
  id: string;
  project_id: string;
  project_name: string;
  sweep_id: string | null;
  sweep_name: string | null;
  sweep_ids: string[];
  dataset_version_id: string | null;
  method: string;
  selected: string[];
  run_count: number;
  code_version: string | null;
  created_at: Date;
}

const SUMMARY_COLUMNS = `a.id, a.project_id, p.name AS project_name, a.sweep_id, s.name AS sweep_name, a.sweep_ids,
         a.dataset_version_id, a.method, a.selected, cardinality(a.run_ids)::int AS run_count, a.code_version, a.created_at`;
const SUMMARY_FROM = `
    FROM selection_analysis a
    JOIN project p ON p.id = a.project_id
    LEFT JOIN sweep s ON s.id = a.sweep_id`;
const SUMMARY_SELECT = `SELECT ${SUMMARY_COLUMNS} ${SUMMARY_FROM}`;

function toSummary(r: SummaryRow): SelectionSummary {
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    sweepId: r.sweep_id,
    sweepName: r.sweep_name,
    sweepIds: r.sweep_ids,
    datasetVersionId: r.dataset_version_id,
    method: r.method,
    selected: r.selected,
    runCount: r.run_count,
    codeVersion: r.code_version,
    createdAt: r.created_at.getTime(),
  };
}

function checkLimit(limit: number | undefined, fallback: number, max: number, where: string): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new TrackingInputError(`${where}: ${value} must be an integer from 1 to ${max}`);
  return value;
}

const SORT = 'selection:createdAt:desc';

/** The project's analyses, newest first. */
export async function listSelections(db: pg.Pool, projectId: string, options: { limit?: number; cursor?: string | null } = {}): Promise<Page<SelectionSummary>> {
  checkRunId(projectId, 'projectId');
  const limit = checkLimit(options.limit, 20, MAX_SELECTION_PAGE, 'limit');
  const params: unknown[] = [projectId];
  let after = '';
  if (options.cursor) {
    const at = decodeCursor(options.cursor, SORT);
    checkRunId(at.id, 'cursor');
    params.push(at.value, at.id);
    after = ' AND (a.created_at < $2::timestamptz OR (a.created_at = $2::timestamptz AND a.id > $3::uuid))';
  }
  const { rows } = await db.query<SummaryRow>(`${SUMMARY_SELECT} WHERE a.project_id = $1::uuid${after} ORDER BY a.created_at DESC, a.id LIMIT ${limit + 1}`, params);
  const last = rows[Math.min(rows.length, limit) - 1];
  return {
    items: rows.slice(0, limit).map(toSummary),
    nextCursor: rows.length > limit && last ? encodeCursor({ sort: SORT, value: cursorText(last.created_at), id: last.id }) : null,
  };
}

/** One analysis with its rule and findings; null when there is none with this id. */
export async function getSelection(db: pg.Pool, analysisId: string): Promise<SelectionDetail | null> {
  checkRunId(analysisId, 'analysisId');
  const { rows } = await db.query<SummaryRow & { run_ids: string[]; config: unknown; result: unknown }>(
    `SELECT ${SUMMARY_COLUMNS}, a.run_ids, a.config, a.result ${SUMMARY_FROM} WHERE a.id = $1::uuid`,
    [analysisId],
  );
  const row = rows[0];
  if (!row) return null;
  const { rows: findings } = await db.query<{ parameter: string; selected: boolean; details: unknown }>(
    'SELECT parameter, selected, details FROM selection_finding WHERE analysis_id = $1::uuid ORDER BY parameter',
    [analysisId],
  );
  const records = findings.map((f) => ({ parameter: f.parameter, selected: f.selected, ...readFindingDetails(f.details) }));
  // The analysis' own ranking (kept first); findings without a rank go last, by name.
  records.sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.parameter.localeCompare(b.parameter));
  return {
    ...toSummary(row),
    runIds: row.run_ids,
    config: row.config,
    ...readRule(row.result),
    greedy: readGreedy(row.result),
    findings: records,
  };
}

/** The project's newest `limit` analyses (default 50), each parameter's scores, oldest first. */
export async function selectionTimeline(db: pg.Pool, projectId: string, limit?: number): Promise<SelectionScorePoint[]> {
  checkRunId(projectId, 'projectId');
  const take = checkLimit(limit, 50, MAX_SELECTION_TIMELINE, 'limit');
  const { rows } = await db.query<{
    id: string;
    created_at: Date;
    parameter: string;
    selected: boolean;
    association: number | null;
    association_p: number | null;
    predictability: number | null;
    auc: number | null;
    ablation_delta: number | null;
  }>(
    `WITH recent AS (SELECT id, created_at FROM selection_analysis WHERE project_id = $1::uuid ORDER BY created_at DESC, id LIMIT ${take})
     SELECT r.id, r.created_at, f.parameter, f.selected, f.association, f.association_p, f.predictability, f.ablation_delta,
            CASE WHEN jsonb_typeof(f.details->'predictability'->'pooled'->'auc'->'mean') = 'number'
                 THEN (f.details->'predictability'->'pooled'->'auc'->>'mean')::float8 END AS auc
       FROM recent r JOIN selection_finding f ON f.analysis_id = r.id
      ORDER BY r.created_at, r.id, f.parameter`,
    [projectId],
  );
  return rows.map((r) => ({
    analysisId: r.id,
    createdAt: r.created_at.getTime(),
    parameter: r.parameter,
    selected: r.selected,
    cramersV: r.association,
    pHolm: r.association_p,
    f1: r.predictability,
    auc: r.auc,
    f1Delta: r.ablation_delta,
  }));
}
