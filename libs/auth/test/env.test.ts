import { describe, expect, it } from 'vitest';
import { parseAuthEnv, servedOverHttps } from '../src';

const SECRET = 'x'.repeat(32);

describe('auth environment', () => {
  it('names a missing secret and says how to make one', () => {
    expect(() => parseAuthEnv({})).toThrow(/OVUS_AUTH_SECRET: is required.*openssl rand/);
    expect(() => parseAuthEnv({ OVUS_AUTH_SECRET: '' })).toThrow(/OVUS_AUTH_SECRET: is required/);
  });

  it('refuses a short secret', () => {
    expect(() => parseAuthEnv({ OVUS_AUTH_SECRET: 'short' })).toThrow(/OVUS_AUTH_SECRET: must be at least 32 characters/);
  });

  it('refuses plain http for anything but localhost', () => {
    expect(() => parseAuthEnv({ OVUS_AUTH_SECRET: SECRET, OVUS_PUBLIC_URL: 'http://ovus.hospital.org' })).toThrow(/OVUS_PUBLIC_URL: must start with https:\/\//);
    expect(() => parseAuthEnv({ OVUS_AUTH_SECRET: SECRET, OVUS_PUBLIC_URL: 'not a url' })).toThrow(/OVUS_PUBLIC_URL: must be the URL/);
    expect(parseAuthEnv({ OVUS_AUTH_SECRET: SECRET, OVUS_PUBLIC_URL: 'http://127.0.0.1:3200/' }).OVUS_PUBLIC_URL).toBe('http://127.0.0.1:3200');
  });

  it('reads https URLs, trusted origins and proxies', () => {
    const env = parseAuthEnv({
      OVUS_AUTH_SECRET: SECRET,
      OVUS_PUBLIC_URL: 'https://ovus.hospital.org',
      OVUS_TRUSTED_ORIGINS: 'https://a.hospital.org, https://b.hospital.org',
      OVUS_TRUSTED_PROXIES: '10.0.0.5,10.1.0.0/16',
    });
    expect(servedOverHttps(env)).toBe(true);
    expect(() => parseAuthEnv({ OVUS_AUTH_SECRET: SECRET, OVUS_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/OVUS_TRUSTED_PROXIES: must be/);
    expect(env.OVUS_TRUSTED_ORIGINS).toEqual(['https://a.hospital.org', 'https://b.hospital.org']);
    expect(env.OVUS_TRUSTED_PROXIES).toEqual(['10.0.0.5', '10.1.0.0/16']);
  });
});
