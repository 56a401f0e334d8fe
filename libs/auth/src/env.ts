// The environment the auth side reads, validated once at start-up. A missing or weak secret, or a
// public URL that would send session cookies over plain HTTP to another machine, stops start-up
// with a message that names the variable and says what to do.
import { isIP } from 'node:net';
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const publicUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'must be the URL people open the dashboard at, such as https://ovus.example-hospital.org',
  })
  .refine((value) => !URL.canParse(value) || isHttpsOrLoopback(new URL(value)), {
    message:
      'must start with https:// — plain http is accepted only for localhost; behind a reverse proxy that ends TLS, give the https URL users type',
  })
  .transform((value) => value.replace(/\/+$/, ''));

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const envSchema = z.object({
  OVUS_AUTH_SECRET: z.preprocess(
    emptyAsUnset,
    z
      .string({ message: 'is required: a random secret of at least 32 characters (e.g. `openssl rand -base64 32`)' })
      .min(32, { message: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' }),
  ),
  OVUS_PUBLIC_URL: z.preprocess(emptyAsUnset, publicUrl.default('http://localhost:3000')),
  OVUS_TRUSTED_ORIGINS: z.preprocess(emptyAsUnset, commaList.default([])),
  OVUS_TRUSTED_PROXIES: z.preprocess(
    emptyAsUnset,
    commaList
      .refine((entries) => entries.every(isAddressOrRange), {
        message: 'must be a comma-separated list of proxy addresses or CIDR ranges, such as 10.0.0.5,10.1.0.0/16',
      })
      .default([]),
  ),
});

export type AuthEnv = z.infer<typeof envSchema>;

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}

/** Validates `source` (default process.env); throws naming every bad variable. */
export function parseAuthEnv(source: Record<string, string | undefined> = process.env): AuthEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
  throw new Error(`Invalid environment for sign-in:\n${lines.join('\n')}\nSet these variables (see libs/auth/README.md) and start again.`);
}

/** True when cookies must carry `Secure`: the dashboard is reached over HTTPS. */
export function servedOverHttps(env: AuthEnv): boolean {
  return env.OVUS_PUBLIC_URL.startsWith('https://');
}
