// Who the signed-in member is (for the page header).
import { memberProcedure, router } from '../trpc';

export const sessionRouter = router({
  me: memberProcedure.query(({ ctx }) => {
    const { email, name, role } = ctx.caller.member;
    return { email, name, role };
  }),
});
