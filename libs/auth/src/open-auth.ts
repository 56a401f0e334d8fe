// How an application gets the sign-in side on the database it already opened (through
// @ovus/tracking, which migrates it): a small connection pool of its own, like the job queue.
import { randomBytes } from 'node:crypto';
import { connect } from '@ovus/db';
import { createAuth, type OvusAuth } from './create-auth';
import { parseAuthEnv, type AuthEnv } from './env';

export interface OpenAuth extends OvusAuth {
  close(): Promise<void>;
}

export interface OpenAuthOptions {
  databaseUrl: string;
  /** Defaults to process.env, validated (OVUS_AUTH_SECRET is required). */
  env?: AuthEnv;
}

export function openAuth({ databaseUrl, env = parseAuthEnv() }: OpenAuthOptions): OpenAuth {
  const connection = connect(databaseUrl, { maxConnections: 3 });
  return { ...createAuth({ prisma: connection.prisma, env }), close: connection.close };
}

/**
 * For managing accounts from the CLI. Adding, listing and removing accounts signs no cookie, so
 * the secret is not needed: a random one stands in, and no session made with it could be used.
 */
export function openAccountAdmin({ databaseUrl }: { databaseUrl: string }): OpenAuth {
  const env = parseAuthEnv({ OVUS_AUTH_SECRET: randomBytes(32).toString('base64url'), OVUS_PUBLIC_URL: 'http://localhost' });
  return openAuth({ databaseUrl, env });
}
