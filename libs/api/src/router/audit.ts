// The audit log, for admins: sign-ins, failures, share links made, revoked and opened.
import { listAuditInput } from '@ovus/auth';
import { adminProcedure, router } from '../trpc';

export const auditRouter = router({
  list: adminProcedure.input(listAuditInput.optional()).query(({ ctx, input }) => ctx.auth.audit.list(input)),
});
