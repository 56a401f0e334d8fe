// A member's share links: make one (the token is returned once), list them with how often and
// when each was last opened, revoke one at once. Everything goes through @ovus/auth.
import { createShareLinkInput, listShareLinksInput, ShareLinkError } from '@ovus/auth';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { accountProcedure, router } from '../trpc';

function translate(error: unknown): never {
  if (error instanceof ShareLinkError) throw new TRPCError({ code: error.code, message: error.message });
  throw error;
}

export const shareLinksRouter = router({
  create: accountProcedure.input(createShareLinkInput).mutation(({ ctx, input }) => ctx.auth.shares.create(ctx.caller.member, input, ctx.origin).catch(translate)),
  list: accountProcedure.input(listShareLinksInput.optional()).query(({ ctx, input }) => ctx.auth.shares.list(ctx.caller.member, input)),
  revoke: accountProcedure
    .input(z.object({ id: z.string().max(100) }))
    .mutation(({ ctx, input }) => ctx.auth.shares.revoke(ctx.caller.member, input.id, ctx.origin).catch(translate)),
});
