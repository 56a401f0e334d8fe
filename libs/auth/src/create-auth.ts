// The team's sign-in, built on better-auth with its Prisma adapter: accounts, scrypt password
// hashes, database sessions in httpOnly SameSite=Lax cookies (Secure and __Secure- prefixed when the
// public URL is https), origin checks against CSRF, and a database-backed sign-in rate limit shared
// by every dashboard process. Nothing here hashes a password or mints a session by itself.
import type { PrismaClient } from '@ovus/db';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware, getIP, isAPIError } from 'better-auth/api';
import { recordAudit, type RequestOrigin } from './audit';
import { parseAuthEnv, servedOverHttps, type AuthEnv } from './env';

export const AUTH_BASE_PATH = '/api/auth';
export const SIGN_IN_PATH = '/sign-in/email';

/** Sign-in attempts one client address may make per window before it is refused (HTTP 429). */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 5 } as const;

/**
 * Failed sign-ins one account may have (since its last success) per window, from any address,
 * before it is refused for the rest of the window: the per-address limit alone would let a
 * botnet try one password per address. Unknown emails are counted alike, so the answer says
 * nothing about which accounts exist.
 */
export const ACCOUNT_FAILURE_LIMIT = { window: 15 * 60, max: 10 } as const;

/** A session lasts 12 hours from the last use; it is extended at most once an hour. */
const SESSION_SECONDS = 12 * 60 * 60;
const SESSION_REFRESH_SECONDS = 60 * 60;
/** NIST SP 800-63B asks for at least 8; hospital policies commonly ask for 12. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

// Flows this deployment has no use for (no mail is sent, accounts are made by an admin): closed so
// that nobody can reach them over HTTP.
const DISABLED_PATHS = [
  '/sign-up/email',
  '/change-email',
  '/request-password-reset',
  '/reset-password',
  '/send-verification-email',
  '/verify-email',
  '/delete-user',
];

export interface CreateAuthOptions {
  prisma: PrismaClient;
  /** Defaults to process.env, validated. */
  env?: AuthEnv;
}

function buildAuth(prisma: PrismaClient, env: AuthEnv) {
  const secure = servedOverHttps(env);
  const options = {
    appName: 'ovus',
    baseURL: env.OVUS_PUBLIC_URL,
    basePath: AUTH_BASE_PATH,
    secret: env.OVUS_AUTH_SECRET,
    trustedOrigins: [env.OVUS_PUBLIC_URL, ...env.OVUS_TRUSTED_ORIGINS],
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    telemetry: { enabled: false },
    disabledPaths: DISABLED_PATHS,
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    user: {
      modelName: 'authUser',
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'member', input: false },
      },
    },
    session: {
      modelName: 'authSession',
      expiresIn: SESSION_SECONDS,
      updateAge: SESSION_REFRESH_SECONDS,
    },
    account: { modelName: 'authAccount' },
    verification: { modelName: 'authVerification' },
    rateLimit: {
      // better-auth turns it on only when NODE_ENV=production; a hospital wants it everywhere.
      enabled: true,
      storage: 'database',
      modelName: 'authRateLimit',
      window: 60,
      max: 120,
      customRules: { [SIGN_IN_PATH]: SIGN_IN_RATE_LIMIT },
    },
    advanced: {
      // better-auth skips its origin (CSRF) check when NODE_ENV=test; never skip it here.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      useSecureCookies: secure,
      cookiePrefix: 'ovus',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
      ipAddress: env.OVUS_TRUSTED_PROXIES.length > 0 ? { trustedProxies: env.OVUS_TRUSTED_PROXIES } : undefined,
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const email = attemptedEmail(ctx.body);
        if (!email || !(await accountLocked(prisma, email))) return;
        await recordAudit(prisma, { kind: 'sign-in.rate-limited', actorEmail: email, ...requestOriginOf(ctx.request ?? ctx.headers, options), detail: { scope: 'account' } });
        throw new APIError('TOO_MANY_REQUESTS', {
          message: `Too many failed sign-ins for this account. Try again in ${ACCOUNT_FAILURE_LIMIT.window / 60} minutes, or ask an admin.`,
        });
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const origin = requestOriginOf(ctx.request ?? ctx.headers, options);
        const returned = ctx.context.returned;
        const attempted = attemptedEmail(ctx.body);
        if (isAPIError(returned) || !ctx.context.newSession) {
          const reason = isAPIError(returned) ? String(returned.body?.code ?? returned.status) : 'unknown';
          await recordAudit(prisma, { kind: 'sign-in.failed', actorEmail: attempted, ...origin, detail: { reason } });
          return;
        }
        const { user } = ctx.context.newSession;
        await recordAudit(prisma, { kind: 'sign-in', actorId: user.id, actorEmail: user.email, ...origin });
      }),
    },
  } satisfies Parameters<typeof betterAuth>[0];
  return betterAuth(options);
}

export type BetterAuthInstance = ReturnType<typeof buildAuth>;

export interface OvusAuth {
  /** The better-auth instance (server API: auth.api.getSession, ...). */
  auth: BetterAuthInstance;
  env: AuthEnv;
  prisma: PrismaClient;
  /**
   * Answers every request under /api/auth (mount it as the route handler). Refusals by the rate
   * limiter happen before better-auth's hooks run, so they are audited here.
   */
  handler(request: Request): Promise<Response>;
  /** Client address and user agent of a request, read the way the rate limiter reads them. */
  originOf(headers: Headers): RequestOrigin;
}

export function createAuth({ prisma, env = parseAuthEnv() }: CreateAuthOptions): OvusAuth {
  const auth = buildAuth(prisma, env);
  const originOf = (headers: Headers) => requestOriginOf(headers, auth.options);
  return {
    auth,
    env,
    prisma,
    originOf,
    async handler(request) {
      const response = await auth.handler(request);
      if (response.status === 429 && new URL(request.url).pathname === AUTH_BASE_PATH + SIGN_IN_PATH) {
        await recordAudit(prisma, { kind: 'sign-in.rate-limited', ...originOf(request.headers) });
      }
      return response;
    },
  };
}

function attemptedEmail(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : null;
}

async function accountLocked(prisma: PrismaClient, email: string): Promise<boolean> {
  const windowStart = new Date(Date.now() - ACCOUNT_FAILURE_LIMIT.window * 1000);
  const lastSuccess = await prisma.auditEvent.findFirst({
    where: { kind: 'sign-in', actorEmail: email, at: { gt: windowStart } },
    orderBy: { at: 'desc' },
    select: { at: true },
  });
  const failures = await prisma.auditEvent.count({
    where: { kind: 'sign-in.failed', actorEmail: email, at: { gt: lastSuccess?.at ?? windowStart } },
  });
  return failures >= ACCOUNT_FAILURE_LIMIT.max;
}

type IpOptions = Parameters<typeof getIP>[1];

function requestOriginOf(source: Request | Headers | undefined, options: IpOptions): RequestOrigin {
  if (!source) return { ip: null, userAgent: null };
  const headers = source instanceof Headers ? source : source.headers;
  return { ip: getIP(headers, options), userAgent: headers.get('user-agent') };
}
