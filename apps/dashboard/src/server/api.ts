// The server side's door to the data: one opened database per server process (kept across hot
// reloads and requests), and tRPC callers over the same routers the HTTP handler serves, so a
// page and a browser client see exactly the same procedures, inputs, checks and errors.
import { ANONYMOUS, appRouter, createContext, memberCaller, type Caller } from '@ovus/api';
import { authService as toAuthService, type AuthService, type RequestOrigin, type SignedInMember } from '@ovus/auth';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { authService } from './auth';

const holder = globalThis as typeof globalThis & { ovusDatabase?: Promise<TrackingDatabase> };

export function database(): Promise<TrackingDatabase> {
  holder.ovusDatabase ??= openTrackingDatabase().catch((error: unknown) => {
    // Not cached when it fails: the next request tries again (the server may have come up since).
    holder.ovusDatabase = undefined;
    throw error;
  });
  return holder.ovusDatabase;
}

export async function accounts(): Promise<AuthService> {
  return toAuthService(await authService());
}

/** The header a script or notebook sends a share token in (the browser's share page does it server-side). */
export const SHARE_TOKEN_HEADER = 'x-ovus-share-token';

/**
 * Who sent `requestHeaders`: a share-link holder when it carries a share token (a member's cookie
 * then counts for nothing: least privilege), else the signed-in member, else nobody.
 */
export async function callerOf(requestHeaders: Headers): Promise<{ caller: Caller; origin: RequestOrigin; auth: AuthService }> {
  const auth = await accounts();
  const { member, origin } = await auth.identify(requestHeaders);
  const token = requestHeaders.get(SHARE_TOKEN_HEADER);
  const caller: Caller = token ? { kind: 'share', token } : member ? memberCaller(member) : ANONYMOUS;
  return { caller, origin, auth };
}

/** The signed-in member of this request, or null (pages that show something either way). */
export async function currentMember(): Promise<SignedInMember | null> {
  const { caller } = await callerOf(await headers());
  return caller.kind === 'member' ? caller.member : null;
}

/** A caller for a team page: sends anyone not signed in to the sign-in page. */
export async function api() {
  const requestHeaders = await headers();
  const { caller, origin, auth } = await callerOf(requestHeaders);
  if (caller.kind !== 'member') redirect('/sign-in');
  return appRouter.createCaller(createContext({ db: await database(), caller, auth, origin }));
}

/** A caller for the share page: the token from the URL, nothing else. */
export async function shareApi(token: string) {
  const { origin, auth } = await callerOf(await headers());
  return appRouter.createCaller(createContext({ db: await database(), caller: { kind: 'share', token }, auth, origin }));
}
