// The first start of the demo on a fresh machine: a local admin account with a generated password,
// and a generated session secret, both kept in files only the user can read, so the two-command
// quick start ends on a dashboard one can sign in to. A team deployment sets OVUS_AUTH_SECRET and
// adds its accounts with `trainer user add` instead.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OvusAuth } from './create-auth';
import { addUser } from './users';

export const LOCAL_ACCOUNT_EMAIL = 'admin@ovus.localhost';
const CREDENTIALS_FILE = 'dashboard-sign-in.txt';
const SECRET_FILE = 'auth-secret';

export type LocalAccount =
  | { kind: 'created'; email: string; password: string; credentialsFile: string }
  | { kind: 'existing'; email: string; credentialsFile: string }
  | { kind: 'team'; accounts: number };

/**
 * Creates the local admin when the database has no account yet. When it has accounts, says so:
 * the team signs in with its own (and the generated password, if any, is still in its file).
 */
export async function ensureLocalAccount(ovus: OvusAuth, dataDir: string): Promise<LocalAccount> {
  const credentialsFile = join(dataDir, CREDENTIALS_FILE);
  const accounts = await ovus.prisma.authUser.count();
  if (accounts > 0) {
    const local = await ovus.prisma.authUser.count({ where: { email: LOCAL_ACCOUNT_EMAIL } });
    const saved = await readFile(credentialsFile, 'utf8').catch(() => null);
    return local > 0 && saved ? { kind: 'existing', email: LOCAL_ACCOUNT_EMAIL, credentialsFile } : { kind: 'team', accounts };
  }
  const password = randomBytes(15).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  // The file first: an account whose password was lost would be of no use.
  await writePrivate(credentialsFile, `Dashboard sign-in for this machine (created by npm run demo)\nemail: ${LOCAL_ACCOUNT_EMAIL}\npassword: ${password}\n`);
  await addUser(ovus, { email: LOCAL_ACCOUNT_EMAIL, password, role: 'admin', name: 'Local admin', addedBy: 'npm run demo' });
  return { kind: 'created', email: LOCAL_ACCOUNT_EMAIL, password, credentialsFile };
}

/** The session secret kept in the data folder for a local dashboard (made on first use). */
export async function loadOrCreateLocalSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, SECRET_FILE);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing && existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writePrivate(file, `${secret}\n`);
  return secret;
}

async function writePrivate(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile keeps the mode of a file that already existed
}

/** What to print so a person can sign in. */
export function describeLocalAccount(account: LocalAccount, dashboardUrl: string): string {
  switch (account.kind) {
    case 'created':
      return (
        `Sign in to ${dashboardUrl} as ${account.email} with password ${account.password}\n` +
        `(saved in ${account.credentialsFile}, readable only by you; add team accounts with: npx ovus user add <email>).\n`
      );
    case 'existing':
      return `Sign in to ${dashboardUrl} as ${account.email}; the password is in ${account.credentialsFile}.\n`;
    case 'team':
      return `Sign in to ${dashboardUrl} with your team account (${account.accounts} on this database; \`npm run trainer -- user list\`).\n`;
  }
}
