// The API over HTTP: the same routers the pages call server-side, for browser clients, scripts
// and notebooks (superjson transformer). Errors keep tRPC's codes and never carry a stack.
import { handleTrpc } from '../../../../src/server/api';

export const dynamic = 'force-dynamic';

export { handleTrpc as GET, handleTrpc as POST };
