import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createShareLink,
  hashShareToken,
  listAudit,
  listShareLinks,
  resolveShareToken,
  revokeShareLink,
  SHARE_GUESS_LIMIT,
  type Member,
} from '../src';
import { createTargets } from './fixtures';
import { createAuthFixture, type AuthFixture } from './helpers';

const origin = { ip: '10.20.0.1', userAgent: 'vitest' };

describe('share links', () => {
  let fx: AuthFixture;
  let ana: Member;
  let ben: Member;
  let targets: Awaited<ReturnType<typeof createTargets>>;
  beforeAll(async () => {
    fx = await createAuthFixture();
    ana = { ...(await addUser(fx.ovus, { email: 'ana@example.org', password: 'a long passphrase one' })), role: 'member' };
    ben = { ...(await addUser(fx.ovus, { email: 'ben@example.org', password: 'a long passphrase two' })), role: 'member' };
    targets = await createTargets(fx.db.prisma);
  });
  afterAll(async () => {
    await fx.db.drop();
  });

  it('makes a 256-bit token shown once, storing only its sha256', async () => {
    const link = await createShareLink(fx.db.prisma, ana, { scope: 'run', targetId: targets.runId, label: 'for Dr. Lee' }, origin);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(link.token, 'base64url')).toHaveLength(32);
    expect(link.path).toBe(`/share/${link.token}`);
    const rows = await fx.db.pool.query('SELECT * FROM share_link WHERE id = $1', [link.id]);
    expect(rows.rows[0].token_hash).toBe(hashShareToken(link.token));
    expect(JSON.stringify(rows.rows[0])).not.toContain(link.token);
    const audit = await fx.db.pool.query(`SELECT * FROM audit_event WHERE kind = 'share.created'`);
    expect(audit.rows[0]).toMatchObject({ actor_email: 'ana@example.org', share_link_id: link.id, ip: '10.20.0.1' });
    expect(JSON.stringify(audit.rows)).not.toContain(link.token);
    const tokens = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await createShareLink(fx.db.prisma, ben, { scope: 'sweep', targetId: targets.sweepId }, origin)).token)));
    expect(tokens.size).toBe(20);
  });

  it('refuses a target that does not exist, and bad input', async () => {
    await expect(createShareLink(fx.db.prisma, ana, { scope: 'run', targetId: '00000000-0000-4000-8000-000000000000' }, origin)).rejects.toThrow('No run with id');
    await expect(createShareLink(fx.db.prisma, ana, { scope: 'project' as 'run', targetId: targets.projectId }, origin)).rejects.toThrow();
    await expect(createShareLink(fx.db.prisma, ana, { scope: 'run', targetId: targets.runId, expiresInDays: 400 }, origin)).rejects.toThrow();
  });

  it('opens a valid link, counting the view; a check does not count', async () => {
    const link = await createShareLink(fx.db.prisma, ana, { scope: 'sweep', targetId: targets.sweepId, expiresInDays: 7 }, origin);
    const viewed = await resolveShareToken(fx.db.prisma, link.token, { ip: '10.30.0.1', userAgent: 'Clinician browser' }, { purpose: 'view' });
    expect(viewed).toEqual({ ok: true, grant: { linkId: link.id, scope: 'sweep', targetId: targets.sweepId, label: null, expiresAt: link.expiresAt } });
    await resolveShareToken(fx.db.prisma, link.token, origin, { purpose: 'view' });
    await resolveShareToken(fx.db.prisma, link.token, origin, { purpose: 'check' });
    const { links } = await listShareLinks(fx.db.prisma, ana);
    const listed = links.find((l) => l.id === link.id);
    expect(listed).toMatchObject({ openCount: 2, state: 'active', targetName: 'backbones', scope: 'sweep' });
    expect(listed?.lastOpenedAt).toBeInstanceOf(Date);
    const views = await listAudit(fx.db.prisma, { kind: 'share.viewed', shareLinkId: link.id });
    expect(views.entries.map((e) => [e.ip, e.userAgent])).toEqual([['10.20.0.1', 'vitest'], ['10.30.0.1', 'Clinician browser']]);
  });

  it('lists only the member\'s own links; revocation is immediate and only by the owner or an admin', async () => {
    const link = await createShareLink(fx.db.prisma, ana, { scope: 'run', targetId: targets.otherRunId }, origin);
    const bens = await listShareLinks(fx.db.prisma, ben);
    expect(bens.links.some((l) => l.id === link.id)).toBe(false);
    await expect(revokeShareLink(fx.db.prisma, ben, link.id, origin)).rejects.toThrow('No such share link');
    await revokeShareLink(fx.db.prisma, ana, link.id, origin);
    expect(await resolveShareToken(fx.db.prisma, link.token, origin, { purpose: 'view' })).toEqual({ ok: false, reason: 'revoked' });
    const other = await createShareLink(fx.db.prisma, ben, { scope: 'run', targetId: targets.runId }, origin);
    await revokeShareLink(fx.db.prisma, { ...ana, role: 'admin' }, other.id, origin);
    expect((await listShareLinks(fx.db.prisma, ben)).links.find((l) => l.id === other.id)?.state).toBe('revoked');
    expect((await listAudit(fx.db.prisma, { kind: 'share.revoked' })).entries).toHaveLength(2);
  });

  it('refuses an expired link as expired', async () => {
    const link = await createShareLink(fx.db.prisma, ana, { scope: 'run', targetId: targets.runId, expiresInDays: 1 }, origin);
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(await resolveShareToken(fx.db.prisma, link.token, origin, { purpose: 'view', now: later })).toEqual({ ok: false, reason: 'expired' });
  });

  it(`limits guessing: after ${SHARE_GUESS_LIMIT.max} unknown tokens a minute from one address, even a valid token is refused there`, async () => {
    const link = await createShareLink(fx.db.prisma, ana, { scope: 'run', targetId: targets.runId }, origin);
    const guesser = { ip: '10.66.0.1', userAgent: 'guesser' };
    const results: string[] = [];
    for (let i = 0; i < SHARE_GUESS_LIMIT.max + 3; i++) {
      const result = await resolveShareToken(fx.db.prisma, i % 2 ? `guess-${i}` : 'A'.repeat(43), guesser, { purpose: 'check' });
      results.push(result.ok ? 'ok' : result.reason);
    }
    expect(results.slice(0, SHARE_GUESS_LIMIT.max).every((r) => r === 'unknown')).toBe(true);
    expect(results.slice(SHARE_GUESS_LIMIT.max).every((r) => r === 'rate-limited')).toBe(true);
    expect(await resolveShareToken(fx.db.prisma, link.token, guesser, { purpose: 'view' })).toEqual({ ok: false, reason: 'rate-limited' });
    expect((await resolveShareToken(fx.db.prisma, link.token, { ip: '10.66.0.2', userAgent: null }, { purpose: 'view' })).ok).toBe(true);
  });
});
