// Share tokens: 32 random bytes (256 bits) from the OS's CSPRNG, base64url; the database keeps only
// their sha256, so a copy of the database opens no link. A fast hash is enough here: unlike a
// password, the token has full entropy, so there is nothing to brute-force from the hash.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createShareToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeShareToken(value: unknown): value is string {
  return typeof value === 'string' && SHARE_TOKEN_PATTERN.test(value);
}
