// How the analysis tells ablation partners apart: two runs with the same setting and replicate
// differ only in the heads they trained (and per-task weights of those heads), so they saw the
// same training cases in the same order and were scored on the same test cases.
import { canonicalJson } from '@ovus/data';
import { isTaskName, type TaskName } from '@ovus/domain';
import type { RunScores, TaskScore } from '@ovus/ml-selection';
import type { ScoredRun } from '@ovus/tracking';

interface ConfigShape {
  tasks?: unknown;
  seed?: unknown;
  split?: Record<string, unknown>;
  taskWeights?: unknown;
  classWeights?: unknown;
  [key: string]: unknown;
}

export function settingKey(config: unknown): string {
  const { tasks: _t, seed: _s, taskWeights: _w, classWeights: _c, split, dataset, ...rest } = (config ?? {}) as ConfigShape;
  const { seed: _splitSeed, fold: _fold, ...splitRest } = split ?? {};
  // The dataset by name only: a plan pins the version its source ran on ('latest' may have moved),
  // and the analysis checks separately that every run trained on one version.
  const { version: _version, ...datasetRest } = (dataset ?? {}) as Record<string, unknown>;
  return canonicalJson({ ...rest, dataset: datasetRest, split: splitRest });
}

export function replicateKey(config: unknown): string {
  const c = (config ?? {}) as ConfigShape;
  return `seed=${String(c.seed)} split.seed=${String(c.split?.seed)} fold=${String(c.split?.fold ?? '-')}`;
}

export function toRunScores(run: ScoredRun): RunScores {
  const results: Partial<Record<TaskName, TaskScore>> = {};
  for (const [task, s] of Object.entries(run.results)) {
    if (!isTaskName(task)) continue;
    results[task] = { f1: s.f1, f1Lo: s.f1Lo, f1Hi: s.f1Hi, auc: s.auc, aucLo: s.aucLo, aucHi: s.aucHi, confusion: s.confusion };
  }
  return {
    runId: run.id,
    backbone: run.backbone,
    setting: settingKey(run.config),
    replicate: replicateKey(run.config),
    tasks: run.tasks.filter(isTaskName),
    results,
  };
}

/**
 * One run per (heads, setting, replicate): the newest. The same run config in two sweeps (e.g.
 * the all-task baseline of an ablation sweep and of the backbone sweep) must not count twice.
 */
export function newestPerReplicate(runs: readonly ScoredRun[]): ScoredRun[] {
  const newest = new Map<string, ScoredRun>();
  for (const run of runs) {
    const key = `${[...run.tasks].sort().join('+')}\u0000${settingKey(run.config)}\u0000${replicateKey(run.config)}`;
    const seen = newest.get(key);
    if (!seen || run.createdAt > seen.createdAt || (run.createdAt === seen.createdAt && run.id > seen.id)) newest.set(key, run);
  }
  return runs.filter((r) => newest.get(`${[...r.tasks].sort().join('+')}\u0000${settingKey(r.config)}\u0000${replicateKey(r.config)}`) === r);
}
