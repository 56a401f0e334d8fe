// Sends a browser without a session cookie to the sign-in page before any team page renders. Only
// a first, cheap filter: every page and procedure checks the session against the database itself
// (src/server/runtime.ts, libs/api's memberProcedure). Share links, sign-in and the APIs pass
// through (the APIs answer 401 themselves).
import { NextResponse, type NextRequest } from 'next/server';

const OPEN_PATHS = [/^\/sign-in$/, /^\/share\/[^/]+$/, /^\/api\//];
// better-auth's cookie, named with our prefix; __Secure- when served over https.
const SESSION_COOKIES = ['ovus.session_token', '__Secure-ovus.session_token'];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (OPEN_PATHS.some((pattern) => pattern.test(pathname))) return NextResponse.next();
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return NextResponse.next();
  const signIn = new URL('/sign-in', request.url);
  signIn.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = { matcher: ['/((?!_next/|favicon.ico).*)'] };
