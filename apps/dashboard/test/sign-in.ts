// Sign-in for the browser tests: the server's secret, an account made the way an admin makes one,
// and a browser context signed in through better-auth's own endpoint (its cookie lands in the context).
import { addUser, openAccountAdmin, type Role } from '@ovus/auth';
import type { BrowserContext } from 'playwright-core';

export const TEST_AUTH_ENV = { OVUS_AUTH_SECRET: 'browser-test-secret-0123456789-abcdefghij' };

export async function addAccount(databaseUrl: string, email: string, password: string, role: Role = 'member'): Promise<void> {
  const accounts = openAccountAdmin({ databaseUrl });
  try {
    await addUser(accounts, { email, password, role });
  } finally {
    await accounts.close();
  }
}

export async function signIn(context: BrowserContext, baseUrl: string, email: string, password: string): Promise<void> {
  const response = await context.request.post(`${baseUrl}/api/auth/sign-in/email`, { data: { email, password }, headers: { origin: baseUrl } });
  if (!response.ok()) throw new Error(`sign-in as ${email} failed: ${response.status()} ${await response.text()}`);
}
