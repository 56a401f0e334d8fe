import { MAX_LIST_PAGE } from '@ovus/tracking';
import { z } from 'zod';
import { memberProcedure, notFound, router } from '../trpc';
import { id, isUuid, pageInput } from '../schemas';

export const projectsRouter = router({
  /** By name, with sweep and run counts. */
  list: memberProcedure.input(z.object(pageInput(MAX_LIST_PAGE))).query(({ ctx, input }) => ctx.db.projects.list({ limit: input.limit, cursor: input.cursor })),

  get: memberProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const project = isUuid(input.id) ? await ctx.db.projects.get(input.id) : null;
    if (!project) throw notFound('Project', input.id);
    return project;
  }),
});
