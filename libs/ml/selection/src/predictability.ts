// How well each parameter is predicted from the images by a sweep's multi-task runs: its macro F1
// and AUC on the test part, per backbone setting and pooled over the sweep, next to the chance
// level for its class balance.
import { TASKS, type ClinicalParameter } from '@ovus/domain';
import { permutationChanceF1 } from './chance';
import { meanInterval, type MeanInterval } from './mean-interval';
import type { RunScores } from './run-scores';

export interface ScoreSummary {
  readonly runIds: readonly string[];
  /** Mean over runs with its t interval; with one run the run's own bootstrap interval. */
  readonly f1: MeanInterval | null;
  readonly auc: MeanInterval | null;
  /** Permutation chance level of macro F1 (see chance.ts), mean over runs. */
  readonly chanceF1: number | null;
  /** Macro F1 minus each run's chance level: the part that comes from the images. */
  readonly f1AboveChance: MeanInterval | null;
}

export interface ParameterPredictability {
  readonly parameter: ClinicalParameter;
  /** 1/k: the chance macro F1 of predictions distributed like the truth. */
  readonly chanceF1Prior: number;
  readonly chanceAuc: 0.5;
  readonly groups: readonly ({ readonly backbone: string; readonly setting: string } & ScoreSummary)[];
  readonly pooled: ScoreSummary | null;
}

/** Runs count for a parameter when they trained its head together with at least one other. */
export function analyzePredictability(runs: readonly RunScores[], parameters: readonly ClinicalParameter[]): ParameterPredictability[] {
  return parameters.map((parameter) => {
    const scored = runs.filter((r) => r.tasks.length > 1 && r.tasks.includes(parameter) && r.results[parameter]);
    const settings = [...new Set(scored.map((r) => r.setting))].sort();
    const groups = settings.map((setting) => {
      const members = scored.filter((r) => r.setting === setting);
      return { backbone: members[0].backbone, setting, ...summarize(members, parameter) };
    });
    groups.sort((a, b) => a.backbone.localeCompare(b.backbone) || a.setting.localeCompare(b.setting));
    return {
      parameter,
      chanceF1Prior: 1 / TASKS[parameter].codes.length,
      chanceAuc: 0.5,
      groups,
      pooled: scored.length > 0 ? summarize(scored, parameter) : null,
    };
  });
}

function summarize(runs: readonly RunScores[], parameter: ClinicalParameter): ScoreSummary {
  const scores = runs.map((r) => r.results[parameter]!);
  const chances = scores.map((s) => (s.confusion ? permutationChanceF1(s.confusion) : null));
  const single = runs.length === 1 ? scores[0] : null;
  const withBootstrap = (summary: MeanInterval | null, lo: number | null, hi: number | null): MeanInterval | null =>
    summary && single ? { ...summary, lo, hi } : summary;
  const f1 = withBootstrap(meanInterval(scores.map((s) => s.f1)), single?.f1Lo ?? null, single?.f1Hi ?? null);
  const aucValues = scores.map((s) => s.auc).filter((v): v is number => v !== null);
  const auc = withBootstrap(meanInterval(aucValues), single?.aucLo ?? null, single?.aucHi ?? null);
  const excess = scores.flatMap((s, i) => (chances[i] === null ? [] : [s.f1 - (chances[i] as number)]));
  let f1AboveChance = meanInterval(excess);
  if (f1AboveChance && single && chances[0] !== null) {
    const chance = chances[0] as number;
    f1AboveChance = { ...f1AboveChance, lo: single.f1Lo === null ? null : single.f1Lo - chance, hi: single.f1Hi === null ? null : single.f1Hi - chance };
  }
  const definedChances = chances.filter((c): c is number => c !== null);
  return {
    runIds: runs.map((r) => r.runId),
    f1,
    auc,
    chanceF1: definedChances.length ? definedChances.reduce((a, b) => a + b, 0) / definedChances.length : null,
    f1AboveChance,
  };
}
