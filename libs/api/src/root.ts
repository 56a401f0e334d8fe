// Every router, one per noun, merged: the API the dashboard (and its tests) call.
import { z } from 'zod';
import { compareRouter } from './router/compare';
import { datasetsRouter } from './router/datasets';
import { inferenceRouter } from './router/inference';
import { metricsRouter } from './router/metrics';
import { projectsRouter } from './router/projects';
import { runsRouter } from './router/runs';
import { sweepsRouter } from './router/sweeps';
import { createCallerFactory, publicProcedure, router } from './trpc';

export const appRouter = router({
  health: router({ ping: publicProcedure.input(z.void()).query(() => ({ ok: true as const })) }),
  projects: projectsRouter,
  sweeps: sweepsRouter,
  runs: runsRouter,
  metrics: metricsRouter,
  compare: compareRouter,
  datasets: datasetsRouter,
  inference: inferenceRouter,
});

export type AppRouter = typeof appRouter;

/** A server-side caller (server components, tests): `createCaller(createContext({ db })).runs.list({...})`. */
export const createCaller = createCallerFactory(appRouter);
