// The API's foundation: the context every procedure sees (the opened database and who is asking),
// the error shape clients get (never a stack, never an internal message), and one procedure base
// per kind of caller, so that a new procedure cannot forget the check its kind of caller needs.
import { initTRPC, TRPCError } from '@trpc/server';
import type { AuthService, RequestOrigin, SignedInMember } from '@ovus/auth';
import { TrackingInputError, type TrackingRepositories } from '@ovus/tracking';
import superjson from 'superjson';
import { ZodError } from 'zod';

/** What the API reads through: the repositories bound to the opened database (no pool, no Prisma). */
export type DashboardDatabase = TrackingRepositories;

/**
 * Who is asking. A signed-in team member (the session was checked against the database when the
 * context was made); the holder of a share link (its token is checked by shareProcedure on every
 * call, so a revoked link stops at once); or nobody.
 */
export type Caller = { kind: 'member'; member: SignedInMember } | { kind: 'share'; token: string } | { kind: 'anonymous' };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

/** A member caller for server-side code that acts as a known account, and for tests. */
export function memberCaller(member: SignedInMember): Caller {
  return { kind: 'member', member };
}

export interface ApiContext {
  db: DashboardDatabase;
  caller: Caller;
  /** Share links and the audit log (@ovus/auth); only share and account procedures use it. */
  auth: AuthService | null;
  /** Where the request came from, for the audit log. */
  origin: RequestOrigin;
  /** Where unexpected errors go (the route handler logs them); the client only hears "something went wrong". */
  onInternalError?: (error: unknown, path: string | undefined) => void;
}

export interface CreateContextOptions {
  db: DashboardDatabase;
  /** Who is asking: required, so that no code path can make a context that forgets to say. */
  caller: Caller;
  auth?: AuthService | null;
  origin?: RequestOrigin;
  onInternalError?: ApiContext['onInternalError'];
}

export function createContext(options: CreateContextOptions): ApiContext {
  return {
    db: options.db,
    caller: options.caller,
    auth: options.auth ?? null,
    origin: options.origin ?? { ip: null, userAgent: null },
    onInternalError: options.onInternalError,
  };
}

export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on the server. The error was logged; try again, or report it if it keeps happening.';

const t = initTRPC.context<ApiContext>().create({
  // Dates, NaN and ±Infinity survive the wire (a diverged loss is NaN, and JSON would make it null).
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const zodIssues =
      error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) : undefined;
    return {
      message: internal ? INTERNAL_ERROR_MESSAGE : shape.message,
      code: shape.code,
      // Explicitly chosen fields: no stack, no cause.
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, zodIssues },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Bad input that the libraries found (a stale cursor, a malformed id) is the caller's to fix: 400 with the library's message. */
const translateErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (result.error.code === 'INTERNAL_SERVER_ERROR' && cause instanceof TrackingInputError) {
    return { ...result, error: new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause }) };
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR') ctx.onInternalError?.(cause ?? result.error, path);
  return result;
});

/** Anyone who reaches the server: health checks only. Everything with data uses a base below. */
export const publicProcedure = t.procedure.use(translateErrors);

// Refusals carry fixed sentences and nothing about what was asked for.
export const REFUSALS = {
  signIn: 'Sign in to see this.',
  admin: 'Only admins can see this.',
  shareOnly: 'This needs a share link.',
  unknownLink: 'This link does not exist. Check that it was copied whole.',
  revoked: 'This link was revoked by the person who shared it.',
  expired: 'This link has expired.',
  rateLimited: 'Too many links that do not exist were tried from your address. Wait a minute and try again.',
  noAccounts: 'Sign-in is not set up on this server.',
} as const;

/** A signed-in member of the team: everything the dashboard shows. */
export const memberProcedure = publicProcedure.use(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.kind !== 'member') throw new TRPCError({ code: 'UNAUTHORIZED', message: REFUSALS.signIn });
  return next({ ctx: { ...ctx, caller } });
});

/** A member who manages share links or reads the audit log: needs the auth service. */
export const accountProcedure = memberProcedure.use(({ ctx, next }) => {
  const { auth } = ctx;
  if (!auth) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: REFUSALS.noAccounts });
  return next({ ctx: { ...ctx, auth } });
});

/** An admin: account management and the audit log. */
export const adminProcedure = accountProcedure.use(({ ctx, next }) => {
  if (ctx.caller.member.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: REFUSALS.admin });
  return next();
});

/**
 * The holder of a share link, and only for what it was made for: the token is resolved on every
 * call (audited, rate limited) and the procedure gets the grant — the one sweep, run or selection
 * analysis — with no way to name another. Members do not use these: a share view is the target's
 * clinician wording, reached by its link.
 */
export const shareProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const { caller, auth } = ctx;
  if (caller.kind !== 'share') throw new TRPCError({ code: 'UNAUTHORIZED', message: REFUSALS.shareOnly });
  if (!auth) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: REFUSALS.noAccounts });
  const resolution = await auth.shares.resolve(caller.token, ctx.origin, { purpose: 'view' });
  if (!resolution.ok) {
    switch (resolution.reason) {
      case 'revoked':
        throw new TRPCError({ code: 'FORBIDDEN', message: REFUSALS.revoked });
      case 'expired':
        throw new TRPCError({ code: 'FORBIDDEN', message: REFUSALS.expired });
      case 'rate-limited':
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: REFUSALS.rateLimited });
      case 'unknown':
        throw new TRPCError({ code: 'NOT_FOUND', message: REFUSALS.unknownLink });
    }
  }
  return next({ ctx: { ...ctx, grant: resolution.grant } });
});

export function notFound(what: string, id: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} ${id} does not exist.` });
}

export function badRequest(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}
