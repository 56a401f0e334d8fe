// Every router, one per noun, merged: the API the dashboard (and its tests) call.
import { z } from 'zod';
import { auditRouter } from './router/audit';
import { compareRouter } from './router/compare';
import { compareGroupsRouter } from './router/compare-groups';
import { datasetsRouter } from './router/datasets';
import { inferenceRouter } from './router/inference';
import { metricsRouter } from './router/metrics';
import { projectsRouter } from './router/projects';
import { runsRouter } from './router/runs';
import { selectionRouter } from './router/selection';
import { sessionRouter } from './router/session';
import { shareRouter } from './router/share';
import { shareLinksRouter } from './router/share-links';
import { sweepsRouter } from './router/sweeps';
import { createCallerFactory, publicProcedure, router } from './trpc';

export const appRouter = router({
  health: router({ ping: publicProcedure.input(z.void()).query(() => ({ ok: true as const })) }),
  projects: projectsRouter,
  sweeps: sweepsRouter,
  runs: runsRouter,
  metrics: metricsRouter,
  compare: compareRouter,
  compareGroups: compareGroupsRouter,
  datasets: datasetsRouter,
  selection: selectionRouter,
  inference: inferenceRouter,
  session: sessionRouter,
  shareLinks: shareLinksRouter,
  audit: auditRouter,
  // The only procedures a share-link holder reaches.
  share: shareRouter,
});

export type AppRouter = typeof appRouter;

/** A server-side caller (server components, tests): `createCaller(createContext({ db, caller, auth })).runs.list({...})`. */
export const createCaller = createCallerFactory(appRouter);
