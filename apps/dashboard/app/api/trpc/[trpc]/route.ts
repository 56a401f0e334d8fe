// The API over HTTP: the same routers the pages call server-side, for browser clients, scripts
// and notebooks. The caller is the signed-in member (session cookie), a share-link holder
// (x-ovus-share-token header: share.view only) or nobody (401 everywhere but health.ping).
// Errors keep tRPC's codes (NOT_FOUND, BAD_REQUEST…) and never carry a stack.
import { appRouter, createContext } from '@ovus/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { callerOf, database } from '../../../../src/server/api';

export const dynamic = 'force-dynamic';

async function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: async () => createContext({ db: await database(), ...(await callerOf(request.headers)) }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
