// better-auth's endpoints (sign-in, sign-out, session): cookies, origin checks and the sign-in
// rate limit are its own; refusals by the limiter are audited on the way out.
import { authService } from '../../../../src/server/auth';

export const dynamic = 'force-dynamic';

async function handler(request: Request): Promise<Response> {
  return (await authService()).handler(request);
}

export { handler as GET, handler as POST };
