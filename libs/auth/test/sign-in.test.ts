import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_FAILURE_LIMIT, addUser, listAudit, SIGN_IN_RATE_LIMIT } from '../src';
import { cookieHeader, createAuthFixture, signInRequest, type AuthFixture } from './helpers';

const PASSWORD = 'correct horse battery staple';

describe('team sign-in over better-auth', () => {
  let fx: AuthFixture;
  beforeAll(async () => {
    fx = await createAuthFixture();
    await addUser(fx.ovus, { email: 'Ana@Example.org', password: PASSWORD, role: 'admin' });
  });
  afterAll(async () => {
    await fx.db.drop();
  });

  it('signs in with email and password, sets an httpOnly SameSite cookie, and audits it', async () => {
    const response = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ana@example.org', password: PASSWORD }));
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith('ovus.session_token='));
    expect(session).toBeDefined();
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/;\s*Secure/i); // plain http on localhost only

    const found = await fx.ovus.auth.api.getSession({ headers: new Headers({ cookie: cookieHeader(response) }) });
    expect(found?.user.email).toBe('ana@example.org');
    expect(found?.user.role).toBe('admin');

    const { entries } = await listAudit(fx.db.prisma, { kind: 'sign-in' });
    expect(entries[0]).toMatchObject({ actorEmail: 'ana@example.org', ip: '10.1.2.3', userAgent: 'vitest' });
  });

  it('refuses a wrong password without saying whether the account exists, and audits the attempt', async () => {
    const wrong = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ana@example.org', password: 'not the password!' }, { 'x-forwarded-for': '10.9.0.1' }));
    const unknown = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'nobody@example.org', password: 'not the password!' }, { 'x-forwarded-for': '10.9.0.2' }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('ovus.session_token='))).toBe(false);
    const { entries } = await listAudit(fx.db.prisma, { kind: 'sign-in.failed' });
    expect(entries.map((e) => [e.actorEmail, e.ip])).toEqual(
      expect.arrayContaining([['ana@example.org', '10.9.0.1'], ['nobody@example.org', '10.9.0.2']]),
    );
    expect(JSON.stringify(entries)).not.toContain('not the password');
  });

  it('refuses a sign-in posted from another origin (CSRF)', async () => {
    const response = await fx.ovus.handler(
      signInRequest(fx.publicUrl, { email: 'ana@example.org', password: PASSWORD }, { origin: 'https://evil.example', 'x-forwarded-for': '10.7.0.1' }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('keeps public sign-up closed', async () => {
    const response = await fx.ovus.handler(
      new Request(`${fx.publicUrl}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: fx.publicUrl, 'x-forwarded-for': '10.6.0.1' },
        body: JSON.stringify({ email: 'intruder@example.org', password: 'long enough password', name: 'x' }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await fx.db.prisma.authUser.count({ where: { email: 'intruder@example.org' } })).toBe(0);
  });

  it(`accepts ${SIGN_IN_RATE_LIMIT.max} sign-in attempts per ${SIGN_IN_RATE_LIMIT.window} s from one address, then refuses with 429`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ana@example.org', password: `guess number ${i}` }, { 'x-forwarded-for': '10.5.0.1' }));
      statuses.push(response.status);
    }
    const accepted = statuses.filter((status) => status !== 429).length;
    console.log(`sign-in rate limit: ${accepted} attempts accepted in a burst of ${statuses.length}, then ${statuses.slice(accepted).join(',')}`);
    expect(accepted).toBe(SIGN_IN_RATE_LIMIT.max);
    expect(statuses.slice(accepted).every((status) => status === 429)).toBe(true);
    // The right password is refused too while the address is limited.
    const blocked = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ana@example.org', password: PASSWORD }, { 'x-forwarded-for': '10.5.0.1' }));
    expect(blocked.status).toBe(429);
    // Another address is not affected.
    const other = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ana@example.org', password: PASSWORD }, { 'x-forwarded-for': '10.5.0.2' }));
    expect(other.status).toBe(200);
    const { entries } = await listAudit(fx.db.prisma, { kind: 'sign-in.rate-limited' });
    expect(entries.length).toBeGreaterThanOrEqual(7);
    expect(entries[0].ip).toBe('10.5.0.1');
    // A minute later the address may try again: 5 per minute, not 5 for ever.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (SIGN_IN_RATE_LIMIT.window + 1) * 1000 });
    try {
      const later = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ana@example.org', password: PASSWORD }, { 'x-forwarded-for': '10.5.0.1' }));
      expect(later.status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('failed sign-ins per account', () => {
  let fx: AuthFixture;
  beforeAll(async () => {
    fx = await createAuthFixture();
    await addUser(fx.ovus, { email: 'cara@example.org', password: PASSWORD });
    await addUser(fx.ovus, { email: 'dev@example.org', password: PASSWORD });
  });
  afterAll(async () => {
    await fx.db.drop();
  });

  it(`refuses an account after ${ACCOUNT_FAILURE_LIMIT.max} failures from any addresses, the right password too; others are unaffected`, async () => {
    const attempt = (email: string, password: string, i: number) => fx.ovus.handler(signInRequest(fx.publicUrl, { email, password }, { 'x-forwarded-for': `10.40.${i}.1` }));
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT.max; i++) expect((await attempt('cara@example.org', `wrong ${i}`, i)).status).toBe(401);
    const locked = await attempt('cara@example.org', PASSWORD, 200);
    expect(locked.status).toBe(429);
    expect(locked.headers.getSetCookie().some((c) => c.startsWith('ovus.session_token='))).toBe(false);
    // The same answer for an email that has no account, so locking reveals nothing.
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT.max; i++) await attempt('ghost@example.org', `wrong ${i}`, 100 + i);
    const ghost = await attempt('ghost@example.org', PASSWORD, 201);
    expect(ghost.status).toBe(429);
    expect(await ghost.json()).toEqual(await (await attempt('cara@example.org', PASSWORD, 202)).json());
    expect((await attempt('dev@example.org', PASSWORD, 203)).status).toBe(200);
    const { entries } = await listAudit(fx.db.prisma, { kind: 'sign-in.rate-limited' });
    expect(entries.filter((e) => e.actorEmail === 'cara@example.org').length).toBe(2);
  });
});

describe('sign-in served over HTTPS', () => {
  let fx: AuthFixture;
  beforeAll(async () => {
    fx = await createAuthFixture('https://ovus.example-hospital.org');
    await addUser(fx.ovus, { email: 'ben@example.org', password: PASSWORD });
  });
  afterAll(async () => {
    await fx.db.drop();
  });

  it('marks the session cookie Secure and __Secure- prefixed', async () => {
    const response = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'ben@example.org', password: PASSWORD }));
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('__Secure-ovus.session_token='));
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
  });
});
