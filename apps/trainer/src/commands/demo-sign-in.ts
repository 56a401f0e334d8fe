// The demo's part of sign-in: on the first start, a local admin account (generated password, kept
// in a file only the user can read) and a session secret for the local dashboard; every start
// prints how to sign in. The dashboard server gets `env` (OVUS_AUTH_SECRET, OVUS_PUBLIC_URL).
import { describeLocalAccount, ensureLocalAccount, loadOrCreateLocalSecret, openAccountAdmin } from '@ovus/auth';
import type { DatabaseHandle } from '../runtime/services';

export const DEFAULT_DASHBOARD_URL = 'http://localhost:3000';

export interface LocalSignIn {
  /** What to print: who to sign in as, and where the password is. */
  message: string;
  /** Environment for the dashboard process. */
  env: { OVUS_AUTH_SECRET: string; OVUS_PUBLIC_URL: string };
}

export async function prepareLocalSignIn(database: DatabaseHandle, dashboardUrl = process.env.OVUS_PUBLIC_URL || DEFAULT_DASHBOARD_URL): Promise<LocalSignIn> {
  const accounts = openAccountAdmin({ databaseUrl: database.url });
  try {
    const account = await ensureLocalAccount(accounts, database.dataDir);
    const secret = process.env.OVUS_AUTH_SECRET || (await loadOrCreateLocalSecret(database.dataDir));
    return { message: describeLocalAccount(account, dashboardUrl), env: { OVUS_AUTH_SECRET: secret, OVUS_PUBLIC_URL: dashboardUrl } };
  } finally {
    await accounts.close();
  }
}
