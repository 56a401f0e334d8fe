// The demo's part of sign-in: on the first start, a local admin account (generated password, kept
// in a file only the user can read) and a session secret for the local dashboard; every start
// prints how to sign in. The dashboard server gets `env` (OVUS_AUTH_SECRET, OVUS_PUBLIC_URL).
import { describeLocalAccount, ensureLocalAccount, loadOrCreateLocalSecret, openAccountAdmin } from '@ovus/auth';
import type { DatabaseHandle } from './services';


export interface LocalSignIn {
  /** What to print: who to sign in as, and where the password is. */
  message: string;
  /** Environment for the dashboard process. */
  env: { OVUS_AUTH_SECRET: string; OVUS_PUBLIC_URL: string; OVUS_TRUSTED_ORIGINS: string };
}

/**
 * `port`: where the demo serves the dashboard (on 127.0.0.1, as it prints it); OVUS_PUBLIC_URL, when
 * set, is the URL instead. http://localhost:<port> is accepted as the same site.
 */
export async function prepareLocalSignIn(database: DatabaseHandle, port: string | number): Promise<LocalSignIn> {
  const dashboardUrl = process.env.OVUS_PUBLIC_URL || `http://127.0.0.1:${port}`;
  const accounts = openAccountAdmin({ databaseUrl: database.url });
  try {
    const account = await ensureLocalAccount(accounts, database.dataDir);
    const secret = process.env.OVUS_AUTH_SECRET || (await loadOrCreateLocalSecret(database.dataDir));
    const trusted = [process.env.OVUS_TRUSTED_ORIGINS, `http://localhost:${port}`].filter(Boolean).join(',');
    return { message: describeLocalAccount(account, dashboardUrl), env: { OVUS_AUTH_SECRET: secret, OVUS_PUBLIC_URL: dashboardUrl, OVUS_TRUSTED_ORIGINS: trusted } };
  } finally {
    await accounts.close();
  }
}
