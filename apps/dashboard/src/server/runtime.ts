// What the server side does with the database, loaded by Node at run time rather than bundled by
// Next (see ./api.ts): one opened database and one sign-in service per server process; who is
// asking, from each request's headers; the tRPC callers for pages (a member's, a share link's);
// the HTTP handlers for /api/trpc and /api/auth; share links and the audit log for their pages;
// artifact downloads. Errors the pages act on come back as plain values: TRPCError instances do
// not cross from this module into the bundle.
import { ANONYMOUS, appRouter, createCaller, createContext, downloadArtifact, memberCaller, REFUSALS, type ApiContext, type ArtifactDownload, type Caller } from '@ovus/api';
import { authService, openAuth, type AuthService, type OpenAuth, type RequestOrigin, type SignedInMember } from '@ovus/auth';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';

let opened: Promise<TrackingDatabase> | undefined;
let signIn: Promise<OpenAuth> | undefined;

function database(): Promise<TrackingDatabase> {
  opened ??= openTrackingDatabase().catch((error: unknown) => {
    // Not kept when it fails: the next request tries again (the server may have come up since).
    opened = undefined;
    throw error;
  });
  return opened;
}

/** better-auth on the same database; its environment (OVUS_AUTH_SECRET, …) is validated here. */
function auth(): Promise<OpenAuth> {
  signIn ??= database()
    .then((db) => openAuth({ databaseUrl: db.url }))
    .catch((error: unknown) => {
      signIn = undefined;
      throw error;
    });
  return signIn;
}

/** Unexpected errors are logged here, with their stack; pages and clients only get a sentence. */
const logInternalError: NonNullable<ApiContext['onInternalError']> = (error, path) => {
  console.error(`API ${path ?? '?'} failed:`, error);
};

/** The header a script sends a share token in (the share page passes it server-side). */
export const SHARE_TOKEN_HEADER = 'x-ovus-share-token';

interface RequestCaller {
  caller: Caller;
  origin: RequestOrigin;
  service: AuthService;
}

/**
 * Who sent `headers`: a share-link holder when they carry a share token (a member's cookie then
 * counts for nothing: least privilege), else the signed-in member, else nobody.
 */
async function callerOf(headers: Headers, shareToken?: string): Promise<RequestCaller> {
  const service = authService(await auth());
  const token = shareToken ?? headers.get(SHARE_TOKEN_HEADER);
  if (token) return { caller: { kind: 'share', token }, origin: (await auth()).originOf(headers), service };
  const { member, origin } = await service.identify(headers);
  return { caller: member ? memberCaller(member) : ANONYMOUS, origin, service };
}

async function context(headers: Headers, shareToken?: string): Promise<ApiContext> {
  const { caller, origin, service } = await callerOf(headers, shareToken);
  return createContext({ db: await database(), caller, auth: service, origin, onInternalError: logInternalError });
}

export async function currentMember(headers: Headers): Promise<SignedInMember | null> {
  const { caller } = await callerOf(headers);
  return caller.kind === 'member' ? caller.member : null;
}

/** A team page's caller; null when the request is not a signed-in member's (the page redirects). */
export async function memberApi(headers: Headers) {
  const ctx = await context(headers);
  return ctx.caller.kind === 'member' ? createCaller(ctx) : null;
}

export type Caller$ = NonNullable<Awaited<ReturnType<typeof memberApi>>>;

export function handleTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext: () => context(request.headers) });
}

export async function handleAuth(request: Request): Promise<Response> {
  return (await auth()).handler(request);
}

export type SharedPage =
  | { state: 'open'; shared: Awaited<ReturnType<ReturnType<typeof createCaller>['share']['view']>> }
  | { state: 'revoked' | 'expired' | 'unknown' | 'rate-limited'; message: string };

/** The share page: the one shared result, or which of the refusals it is. */
export async function openShare(headers: Headers, token: string): Promise<SharedPage> {
  try {
    return { state: 'open', shared: await createCaller(await context(headers, token)).share.view() };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.message === REFUSALS.revoked) return { state: 'revoked', message: error.message };
    if (error.message === REFUSALS.expired) return { state: 'expired', message: error.message };
    if (error.code === 'TOO_MANY_REQUESTS') return { state: 'rate-limited', message: error.message };
    return { state: 'unknown', message: REFUSALS.unknownLink };
  }
}

export type CreateLinkResult = { url: string; expiresAt: string | null } | { error: string } | { signIn: true };

export async function createLink(
  headers: Headers,
  input: { scope: 'run' | 'sweep' | 'selection'; targetId: string; label?: string; expiresInDays?: number },
): Promise<CreateLinkResult> {
  const api = await memberApi(headers);
  if (!api) return { signIn: true };
  try {
    const created = await api.shareLinks.create(input);
    return { url: `${(await auth()).env.OVUS_PUBLIC_URL}${created.path}`, expiresAt: created.expiresAt?.toISOString() ?? null };
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') return { error: error.message };
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return { error: 'Check the id (a UUID) and the expiry (more than 0, at most 365 days).' };
    throw error;
  }
}

export async function revokeLink(headers: Headers, id: string): Promise<'revoked' | 'not-found' | 'sign-in'> {
  const api = await memberApi(headers);
  if (!api) return 'sign-in';
  try {
    await api.shareLinks.revoke({ id });
    return 'revoked';
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') return 'not-found';
    throw error;
  }
}

export type AuditResult =
  | { state: 'ok'; page: Awaited<ReturnType<Caller$['audit']['list']>> }
  | { state: 'forbidden' | 'bad-filter' | 'sign-in' };

export async function auditLog(headers: Headers, input: { cursor?: string; kind?: string }): Promise<AuditResult> {
  const api = await memberApi(headers);
  if (!api) return { state: 'sign-in' };
  try {
    return { state: 'ok', page: await api.audit.list({ limit: 100, cursor: input.cursor, kind: input.kind as never }) };
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'FORBIDDEN') return { state: 'forbidden' };
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return { state: 'bad-filter' };
    throw error;
  }
}

export async function artifact(headers: Headers, runId: string, path: string): Promise<ArtifactDownload | null | 'sign-in'> {
  if (!(await currentMember(headers))) return 'sign-in';
  return downloadArtifact(await database(), runId, path);
}

export type PredictPairResult = Awaited<ReturnType<Caller$['inference']['predictPair']>>;
export type PredictPairOutcome = { state: 'ok'; result: PredictPairResult } | { state: 'refused'; message: string } | { state: 'sign-in' };

/** The predict page: one uploaded pair through a run's model; refusals as their sentences (the upload's fault, or the run's). */
export async function predictPair(headers: Headers, input: Parameters<Caller$['inference']['predictPair']>[0]): Promise<PredictPairOutcome> {
  const api = await memberApi(headers);
  if (!api) return { state: 'sign-in' };
  try {
    return { state: 'ok', result: await api.inference.predictPair(input) };
  } catch (error) {
    if (error instanceof TRPCError && ['BAD_REQUEST', 'NOT_FOUND', 'PRECONDITION_FAILED'].includes(error.code)) return { state: 'refused', message: error.message };
    throw error;
  }
}
