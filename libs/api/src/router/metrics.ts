// A run's series for charts, downsampled on the server to at most 1,000 points per series (each
// bucket's min and max and always the last point, so spikes survive). `chart` is the run page's
// whole payload in one request: total and per-head loss per step and per epoch, validation loss
// and metrics per task, learning rate.
import { MAX_CHART_POINTS, MAX_SERIES_PER_REQUEST, type SeriesInfo } from '@ovus/tracking';
import { z } from 'zod';
import { memberProcedure, router } from '../trpc';
import { id } from '../schemas';
import { requireRun } from './runs';

export type SeriesGroup = 'train-step' | 'train-epoch' | 'validation' | 'learning-rate' | 'throughput' | 'final' | 'other';

/** Which chart a series belongs on, from the trainer's key scheme (apps/trainer/src/runtime/run-logging.ts). */
export function seriesGroup(key: string): SeriesGroup {
  if (key === 'epoch/learning_rate') return 'learning-rate';
  if (key.startsWith('train/')) return 'train-step';
  if (key === 'epoch/seconds' || key === 'epoch/images_per_second') return 'throughput';
  if (key.startsWith('epoch/')) return 'train-epoch';
  if (key.startsWith('val/')) return 'validation';
  if (key.startsWith('final/')) return 'final';
  return 'other';
}

const maxPoints = z.number().int().min(3).max(MAX_CHART_POINTS).default(MAX_CHART_POINTS);

const describe = (s: SeriesInfo) => ({ ...s, group: seriesGroup(s.key) });

export const metricsRouter = router({
  /** Every series of the run with its group, point count and last value. */
  list: memberProcedure.input(z.object({ runId: id })).query(async ({ ctx, input }) => {
    const run = await requireRun(ctx, input.runId);
    return (await ctx.db.metrics.list(run.id)).map(describe);
  }),

  /** Chosen series, in the order asked. */
  series: memberProcedure
    .input(z.object({ runId: id, keys: z.array(z.string().min(1).max(250)).min(1).max(MAX_SERIES_PER_REQUEST), maxPoints }))
    .query(async ({ ctx, input }) => {
      const run = await requireRun(ctx, input.runId);
      return ctx.db.metrics.chart(run.id, input.keys, { maxPoints: input.maxPoints });
    }),

  /** The run page's charts: every series except the final scores (one point each) and throughput, grouped. */
  chart: memberProcedure.input(z.object({ runId: id, maxPoints })).query(async ({ ctx, input }) => {
    const run = await requireRun(ctx, input.runId);
    const all = (await ctx.db.metrics.list(run.id)).map(describe);
    const charted = all.filter((s) => s.group !== 'final' && s.group !== 'throughput').slice(0, MAX_SERIES_PER_REQUEST);
    const series = await ctx.db.metrics.chart(run.id, charted.map((s) => s.key), { maxPoints: input.maxPoints });
    return {
      runId: run.id,
      status: run.status,
      series: series.map((s) => ({ ...s, group: seriesGroup(s.key) })),
      /** Series not charted here (final scores, throughput, or past the cap), for the page to list. */
      others: all.filter((s) => !charted.includes(s)).map((s) => ({ key: s.key, group: s.group, points: s.points, lastValue: s.lastValue })),
    };
  }),
});
