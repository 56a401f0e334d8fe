// The API's foundation: the context every procedure sees (the opened database and who is asking),
// the error shape clients get (never a stack, never an internal message), and one procedure base
// per kind of caller, so that a new procedure cannot forget the check its kind of caller needs.
import { initTRPC, TRPCError } from '@trpc/server';
import { TrackingInputError, type TrackingRepositories } from '@ovus/tracking';
import superjson from 'superjson';
import { ZodError } from 'zod';

/** What the API reads through: the repositories bound to the opened database (no pool, no Prisma). */
export type DashboardDatabase = TrackingRepositories;

/**
 * Who is asking. Today every caller is an anonymous member of the team (the dashboard has no
 * sign-in yet); sign-in fills `userId`, and a clinician's share link arrives as a `share` caller
 * limited to one project, sweep, run or selection analysis.
 */
export type Caller =
  | { kind: 'member'; userId: string | null; displayName: string }
  | { kind: 'share'; scope: 'project' | 'sweep' | 'run' | 'selection'; targetId: string; linkId: string };

export const ANONYMOUS_MEMBER: Caller = { kind: 'member', userId: null, displayName: 'team member' };

export interface ApiContext {
  db: DashboardDatabase;
  caller: Caller;
  /** Where unexpected errors go (the route handler logs them); the client only hears "something went wrong". */
  onInternalError?: (error: unknown, path: string | undefined) => void;
}

export interface CreateContextOptions {
  db: DashboardDatabase;
  /** Who is asking; default the anonymous team member (no sign-in yet). Sign-in and share links fill it in. */
  caller?: Caller;
  onInternalError?: ApiContext['onInternalError'];
}

export function createContext(options: CreateContextOptions): ApiContext {
  return { db: options.db, caller: options.caller ?? ANONYMOUS_MEMBER, onInternalError: options.onInternalError };
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

/** Anyone who reaches the server (health checks). */
export const publicProcedure = t.procedure.use(translateErrors);

/** A member of the team: everything the dashboard shows. */
export const memberProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind !== 'member') throw new TRPCError({ code: 'FORBIDDEN', message: 'A share link opens only what was shared; this needs a team member.' });
  return next({ ctx: { ...ctx, caller: ctx.caller } });
});

/**
 * Members, and share links (read-only). Procedures on this base must check that what they return
 * lies inside `ctx.caller`'s scope when it is a share caller (see sharedScopeAllows); none is
 * shared yet — the share-link issue moves the read procedures clinicians see onto this base.
 */
export const shareProcedure = publicProcedure;

export function notFound(what: string, id: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} ${id} does not exist.` });
}

export function badRequest(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}
