// A fresh database and a sign-in set up on it, as the dashboard would at start-up.
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { createAuth, parseAuthEnv, type OvusAuth } from '../src';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface AuthFixture {
  db: TestDatabase;
  ovus: OvusAuth;
  publicUrl: string;
}

export async function createAuthFixture(publicUrl = 'http://localhost:3200'): Promise<AuthFixture> {
  const db = await createTestDatabase();
  const env = parseAuthEnv({ OVUS_AUTH_SECRET: TEST_SECRET, OVUS_PUBLIC_URL: publicUrl });
  return { db, ovus: createAuth({ prisma: db.prisma, env }), publicUrl };
}

export function signInRequest(publicUrl: string, body: { email: string; password: string }, headers: Record<string, string> = {}): Request {
  return new Request(`${publicUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: publicUrl, 'x-forwarded-for': '10.1.2.3', 'user-agent': 'vitest', ...headers },
    body: JSON.stringify(body),
  });
}

/** The `name=value` pairs of a response's Set-Cookie headers, for the next request's Cookie header. */
export function cookieHeader(response: Response): string {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}
