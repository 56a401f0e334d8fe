// better-auth's endpoints (sign-in, sign-out, session): cookies, origin checks and the sign-in
// rate limit are its own; refusals by the limiter are audited on the way out.
import { handleAuth } from '../../../../src/server/api';

export const dynamic = 'force-dynamic';

export { handleAuth as GET, handleAuth as POST };
