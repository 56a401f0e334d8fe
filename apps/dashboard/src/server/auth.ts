// The sign-in side of the server: one better-auth instance per server process, on the same
// database the API reads. The environment (OVUS_AUTH_SECRET, OVUS_PUBLIC_URL, …) is validated on
// first use; `npm run dashboard` validates it before starting, so a missing secret stops start-up.
import { openAuth, type OpenAuth } from '@ovus/auth';
import { database } from './api';

const holder = globalThis as typeof globalThis & { ovusAuth?: Promise<OpenAuth> };

export function authService(): Promise<OpenAuth> {
  holder.ovusAuth ??= database()
    .then((db) => openAuth({ databaseUrl: db.url }))
    .catch((error: unknown) => {
      holder.ovusAuth = undefined;
      throw error;
    });
  return holder.ovusAuth;
}
