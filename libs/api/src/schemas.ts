// Input pieces shared by the routers. Ids are accepted as any short string: one that is not a
// UUID names nothing, which is a NOT_FOUND (a pasted URL with a typo), not a server error.
import { z } from 'zod';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const id = z.string().trim().min(1).max(100);
export const isUuid = (value: string) => UUID.test(value);

/** Every list: a capped page size and an opaque cursor from the previous page. */
export const pageInput = (max: number, fallback = 50) => ({
  limit: z.number().int().min(1).max(max).default(Math.min(fallback, max)),
  cursor: z.string().min(1).max(2000).nullish(),
});

export const split = z.enum(['train', 'validation', 'test']);
export const averaging = z.enum(['binary', 'macro', 'weighted']);
export const runStatus = z.enum(['queued', 'running', 'finished', 'failed', 'killed', 'stale']);
export const sweepStatus = z.enum(['pending', 'running', 'finished', 'failed', 'cancelled']);
export const task = z.string().trim().min(1).max(50);
export const scoreName = z.enum(['accuracy', 'precision', 'recall', 'f1', 'auc']);
export type ScoreName = z.infer<typeof scoreName>;
export const SCORE_NAMES: readonly ScoreName[] = ['accuracy', 'precision', 'recall', 'f1', 'auc'];
