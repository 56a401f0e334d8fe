// What the server side does with the database, loaded by Node at run time rather than bundled by
// Next (see ./api.ts): one opened database per server process, the tRPC caller for pages, the
// HTTP handler for /api/trpc, and artifact downloads.
import { ANONYMOUS_MEMBER, appRouter, createCaller, createContext, downloadArtifact, type ApiContext, type ArtifactDownload } from '@ovus/api';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';

let opened: Promise<TrackingDatabase> | undefined;

function database(): Promise<TrackingDatabase> {
  opened ??= openTrackingDatabase().catch((error: unknown) => {
    // Not kept when it fails: the next request tries again (the server may have come up since).
    opened = undefined;
    throw error;
  });
  return opened;
}

/** Unexpected errors are logged here, with their stack; pages and clients only get a sentence. */
const logInternalError: NonNullable<ApiContext['onInternalError']> = (error, path) => {
  console.error(`API ${path ?? '?'} failed:`, error);
};

async function context(): Promise<ApiContext> {
  // Sign-in is not part of the dashboard yet: every caller is an anonymous team member.
  return createContext({ db: await database(), caller: ANONYMOUS_MEMBER, onInternalError: logInternalError });
}

export async function caller() {
  return createCaller(await context());
}

export type Caller = Awaited<ReturnType<typeof caller>>;

export function handleTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext: context });
}

export async function artifact(runId: string, path: string): Promise<ArtifactDownload | null> {
  return downloadArtifact(await database(), runId, path);
}
