// Clinical-parameter selection analyses: what they read (a sweep's scored runs) and how they are
// kept (one row per distinct analysis of a project, found again by its content hash, with one
// finding per parameter). Analyses of a project, newest first, are its selection history.
import type pg from 'pg';
import type { PrismaClient, SelectionAnalysis, SelectionFinding } from '@ovus/db';
import { TrackingInputError } from '../errors';
import { prismaCode, toJsonInput } from './prisma-errors';

/** One head's test-part scores (macro averages) of a finished run. */
export interface StoredTaskScore {
  f1: number;
  f1Lo: number | null;
  f1Hi: number | null;
  auc: number | null;
  aucLo: number | null;
  aucHi: number | null;
  /** counts[true][predicted] over `labels`, or null when no confusion matrix was stored. */
  confusion: number[][] | null;
  labels: number[] | null;
}

export interface ScoredRun {
  id: string;
  sweepId: string | null;
  name: string;
  backbone: string;
  tasks: string[];
  seed: number;
  fold: number | null;
  config: unknown;
  datasetVersionId: string | null;
  splitId: string | null;
  createdAt: number;
  results: Record<string, StoredTaskScore>;
}

interface ScoreRow {
  run_id: string;
  sweep_id: string | null;
  name: string;
  backbone: string;
  tasks: string[];
  seed: number;
  fold: number | null;
  config: unknown;
  dataset_version_id: string | null;
  split_id: string | null;
  created_at: Date;
  task: string | null;
  f1: number | null;
  f1_lo: number | null;
  f1_hi: number | null;
  auc: number | null;
  auc_lo: number | null;
  auc_hi: number | null;
  labels: number[] | null;
  counts: number[][] | null;
}

/** The finished runs of the sweeps with their heads' test scores (runs without scores have `results` empty). */
export async function sweepScoredRuns(db: pg.Pool | pg.PoolClient, sweepIds: readonly string[]): Promise<ScoredRun[]> {
  if (sweepIds.length === 0) return [];
  const { rows } = await db.query<ScoreRow>(
    `SELECT r.id AS run_id, r.sweep_id, r.name, r.backbone, r.tasks, r.seed, r.fold, r.config, r.dataset_version_id, r.split_id, r.created_at,
            t.task, t.f1, t.f1_lo, t.f1_hi, t.auc, t.auc_lo, t.auc_hi, c.labels, c.counts
       FROM run r
       LEFT JOIN task_result t ON t.run_id = r.id AND t.split = 'test' AND t.averaging = 'macro'
       LEFT JOIN confusion_matrix c ON c.run_id = r.id AND c.task = t.task AND c.split = 'test'
      WHERE r.sweep_id = ANY($1::uuid[]) AND r.status = 'finished'
      ORDER BY r.created_at, r.id, t.task`,
    [sweepIds],
  );
  const runs = new Map<string, ScoredRun>();
  for (const row of rows) {
    let run = runs.get(row.run_id);
    if (!run) {
      run = {
        id: row.run_id,
        sweepId: row.sweep_id,
        name: row.name,
        backbone: row.backbone,
        tasks: row.tasks,
        seed: row.seed,
        fold: row.fold,
        config: row.config,
        datasetVersionId: row.dataset_version_id,
        splitId: row.split_id,
        createdAt: row.created_at.getTime(),
        results: {},
      };
      runs.set(row.run_id, run);
    }
    if (row.task !== null && row.f1 !== null) {
      run.results[row.task] = {
        f1: row.f1,
        f1Lo: row.f1_lo,
        f1Hi: row.f1_hi,
        auc: row.auc,
        aucLo: row.auc_lo,
        aucHi: row.auc_hi,
        confusion: row.counts,
        labels: row.labels,
      };
    }
  }
  return [...runs.values()];
}

export interface SelectionFindingInput {
  parameter: string;
  association: number | null;
  associationP: number | null;
  predictability: number | null;
  ablationDelta: number | null;
  ablationLo: number | null;
  ablationHi: number | null;
  selected: boolean;
  details: unknown;
}

export interface SaveSelectionInput {
  projectId: string;
  /** The main sweep analysed (null for a counts-only analysis). */
  sweepId: string | null;
  sweepIds: readonly string[];
  datasetVersionId: string | null;
  method: string;
  config: unknown;
  selected: readonly string[];
  contentHash: string;
  runIds: readonly string[];
  codeVersion: string | null;
  result: unknown;
  findings: readonly SelectionFindingInput[];
}

export type StoredSelection = SelectionAnalysis & { findings: SelectionFinding[] };

/**
 * Stores the analysis and its findings in one transaction, unless the project already has one with
 * the same content hash: then that one is returned (created: false) and nothing is written.
 */
export async function saveSelection(prisma: PrismaClient, input: SaveSelectionInput): Promise<{ analysis: StoredSelection; created: boolean }> {
  if (!/^[0-9a-f]{64}$/.test(input.contentHash)) throw new TrackingInputError(`saveSelection: contentHash '${input.contentHash}' must be 64 hex digits`);
  const where = { projectId_contentHash: { projectId: input.projectId, contentHash: input.contentHash } };
  const include = { findings: { orderBy: { parameter: 'asc' as const } } };
  const existing = await prisma.selectionAnalysis.findUnique({ where, include });
  if (existing) return { analysis: existing, created: false };
  try {
    const analysis = await prisma.selectionAnalysis.create({
      data: {
        projectId: input.projectId,
        sweepId: input.sweepId,
        sweepIds: [...input.sweepIds],
        datasetVersionId: input.datasetVersionId,
        method: input.method,
        config: toJsonInput(input.config),
        selected: [...input.selected],
        contentHash: input.contentHash,
        runIds: [...input.runIds],
        codeVersion: input.codeVersion,
        result: toJsonInput(input.result),
        findings: {
          create: input.findings.map((f) => ({ ...f, details: toJsonInput(f.details) })),
        },
      },
      include,
    });
    return { analysis, created: true };
  } catch (error) {
    const code = prismaCode(error);
    // Another process stored the same analysis at the same moment: read its row.
    if (code === 'P2002') return { analysis: await prisma.selectionAnalysis.findUniqueOrThrow({ where, include }), created: false };
    if (code === 'P2003') throw new TrackingInputError(`saveSelection: project ${input.projectId} or sweep ${input.sweepId ?? '-'} does not exist`);
    throw error;
  }
}

/** The project's analyses, newest first (at most `limit`, default 50, up to 500). */
export async function selectionHistory(prisma: PrismaClient, projectId: string, limit = 50): Promise<StoredSelection[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new TrackingInputError(`selectionHistory.limit: ${limit} must be an integer from 1 to 500`);
  return prisma.selectionAnalysis.findMany({
    where: { projectId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
    include: { findings: { orderBy: { parameter: 'asc' } } },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A sweep by id, or the newest sweep with this name (in `projectName` when given). Null when none. */
export async function findSweep(prisma: PrismaClient, idOrName: string, projectName?: string) {
  if (UUID.test(idOrName)) {
    const byId = await prisma.sweep.findUnique({ where: { id: idOrName }, include: { project: true } });
    if (byId) return byId;
  }
  return prisma.sweep.findFirst({
    where: { name: idOrName, ...(projectName ? { project: { name: projectName } } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    include: { project: true },
  });
}

/** The newest sweeps (for "did you mean" lists). */
export async function recentSweeps(prisma: PrismaClient, limit = 10) {
  return prisma.sweep.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit, include: { project: true } });
}
