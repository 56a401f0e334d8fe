// Read-only links for clinicians: one sweep, one run or one selection analysis each. A member makes
// one (the token is shown once), lists and revokes their own; every open and every refused token
// is audited, and refused tokens are rate limited per client address.
import type { PrismaClient } from '@ovus/db';
import { z } from 'zod';
import { recordAudit, type RequestOrigin } from './audit';
import { createShareToken, hashShareToken, looksLikeShareToken } from './share-token';

export const SHARE_TARGET_KINDS = ['sweep', 'run', 'selection'] as const;
export type ShareTargetKind = (typeof SHARE_TARGET_KINDS)[number];

/** Refused share tokens one address may present per minute before every token is refused. */
export const SHARE_GUESS_LIMIT = { window: 60, max: 10 } as const;
/** The longest a link may be given to live. */
export const MAX_SHARE_DAYS = 365;

export class ShareLinkError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
    this.name = 'ShareLinkError';
  }
}

export interface Member {
  id: string;
  email: string;
  role: string;
}

export const createShareLinkInput = z.object({
  scope: z.enum(SHARE_TARGET_KINDS),
  targetId: z.uuid(),
  label: z.string().trim().max(200).optional(),
  /** Days until the link stops working (fractions allowed); none: until revoked. */
  expiresInDays: z.number().positive().max(MAX_SHARE_DAYS).optional(),
});
export type CreateShareLinkInput = z.input<typeof createShareLinkInput>;

export interface CreatedShareLink {
  id: string;
  /** Shown once; only its hash is stored. */
  token: string;
  /** Where the clinician opens it, relative to the dashboard's URL. */
  path: string;
  expiresAt: Date | null;
}

export function shareLinkPath(token: string): string {
  return `/share/${token}`;
}

export async function createShareLink(prisma: PrismaClient, member: Member, input: CreateShareLinkInput, origin: RequestOrigin): Promise<CreatedShareLink> {
  const { scope, targetId, label, expiresInDays } = createShareLinkInput.parse(input);
  if (!(await targetExists(prisma, scope, targetId))) throw new ShareLinkError('NOT_FOUND', `No ${scope} with id ${targetId}.`);
  const token = createShareToken();
  const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
  const link = await prisma.shareLink.create({
    data: { tokenHash: hashShareToken(token), scope, targetId, label: label || null, expiresAt, createdById: member.id },
    select: { id: true },
  });
  await recordAudit(prisma, {
    kind: 'share.created',
    actorId: member.id,
    actorEmail: member.email,
    shareLinkId: link.id,
    ...origin,
    detail: { scope, targetId, label: label ?? null, expiresAt: expiresAt?.toISOString() ?? null },
  });
  return { id: link.id, token, path: shareLinkPath(token), expiresAt };
}

async function targetExists(prisma: PrismaClient, scope: ShareTargetKind, id: string): Promise<boolean> {
  switch (scope) {
    case 'sweep':
      return (await prisma.sweep.count({ where: { id } })) > 0;
    case 'run':
      return (await prisma.run.count({ where: { id } })) > 0;
    case 'selection':
      return (await prisma.selectionAnalysis.count({ where: { id } })) > 0;
  }
}

export type ShareLinkState = 'active' | 'expired' | 'revoked';

export interface ShareLinkSummary {
  id: string;
  scope: string;
  targetId: string;
  /** The sweep's or run's name, or the selection method; null when the target was deleted. */
  targetName: string | null;
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastOpenedAt: Date | null;
  openCount: number;
  state: ShareLinkState;
}

export const listShareLinksInput = z.object({
  limit: z.number().int().min(1).max(100).default(50),
  /** The id of the last link of the previous page (newest first). */
  cursor: z.uuid().optional(),
});

export function shareLinkState(link: { expiresAt: Date | null; revokedAt: Date | null }, now = new Date()): ShareLinkState {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && link.expiresAt <= now) return 'expired';
  return 'active';
}

/** The links `member` made, newest first. */
export async function listShareLinks(prisma: PrismaClient, member: Member, input: z.input<typeof listShareLinksInput> = {}): Promise<{ links: ShareLinkSummary[]; nextCursor: string | null }> {
  const { limit, cursor } = listShareLinksInput.parse(input);
  const rows = await prisma.shareLink.findMany({
    where: { createdById: member.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: { id: true, scope: true, targetId: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, lastOpenedAt: true, openCount: true },
  });
  const page = rows.slice(0, limit);
  const names = await targetNames(prisma, page);
  return {
    links: page.map((row) => ({ ...row, targetName: names.get(row.targetId) ?? null, state: shareLinkState(row) })),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}

async function targetNames(prisma: PrismaClient, links: { scope: string; targetId: string }[]): Promise<Map<string, string>> {
  const ids = (scope: string) => links.filter((link) => link.scope === scope).map((link) => link.targetId);
  const [sweeps, runs, selections] = await Promise.all([
    prisma.sweep.findMany({ where: { id: { in: ids('sweep') } }, select: { id: true, name: true } }),
    prisma.run.findMany({ where: { id: { in: ids('run') } }, select: { id: true, name: true } }),
    prisma.selectionAnalysis.findMany({ where: { id: { in: ids('selection') } }, select: { id: true, method: true } }),
  ]);
  return new Map([...sweeps, ...runs, ...selections.map((s) => ({ id: s.id, name: `selection (${s.method})` }))].map((t) => [t.id, t.name]));
}

/** Revokes at once. A member revokes their own links; an admin any. Revoking twice is a no-op. */
export async function revokeShareLink(prisma: PrismaClient, member: Member, linkId: string, origin: RequestOrigin): Promise<{ revokedAt: Date }> {
  const id = z.uuid().safeParse(linkId);
  const link = id.success ? await prisma.shareLink.findUnique({ where: { id: id.data }, select: { id: true, createdById: true, revokedAt: true } }) : null;
  if (!link || (link.createdById !== member.id && member.role !== 'admin')) throw new ShareLinkError('NOT_FOUND', 'No such share link among yours.');
  if (link.revokedAt) return { revokedAt: link.revokedAt };
  const revokedAt = new Date();
  await prisma.shareLink.updateMany({ where: { id: link.id, revokedAt: null }, data: { revokedAt } });
  await recordAudit(prisma, { kind: 'share.revoked', actorId: member.id, actorEmail: member.email, shareLinkId: link.id, ...origin });
  return { revokedAt };
}

export interface ShareGrant {
  linkId: string;
  scope: ShareTargetKind;
  targetId: string;
  label: string | null;
  expiresAt: Date | null;
}

export type ShareRefusal = 'rate-limited' | 'unknown' | 'revoked' | 'expired';

export type ShareResolution = { ok: true; grant: ShareGrant } | { ok: false; reason: ShareRefusal };

export interface ResolveShareOptions {
  /** 'view' counts an open of the link (last opened, count, audit); 'check' only validates. */
  purpose: 'view' | 'check';
  now?: Date;
}

/**
 * What a presented token grants. Refusals say only what the holder of a real link needs to know
 * (revoked or expired); a token that matches nothing is 'unknown', whatever it looked like.
 */
export async function resolveShareToken(prisma: PrismaClient, token: unknown, origin: RequestOrigin, options: ResolveShareOptions): Promise<ShareResolution> {
  const now = options.now ?? new Date();
  if (await guessLimitReached(prisma, origin, now)) return { ok: false, reason: 'rate-limited' };
  const link = looksLikeShareToken(token)
    ? await prisma.shareLink.findUnique({
        where: { tokenHash: hashShareToken(token) },
        select: { id: true, scope: true, targetId: true, label: true, expiresAt: true, revokedAt: true },
      })
    : null;
  const refuse = async (reason: ShareRefusal, shareLinkId: string | null): Promise<ShareResolution> => {
    await recordAudit(prisma, { kind: 'share.refused', shareLinkId, ...origin, detail: { reason } });
    return { ok: false, reason };
  };
  if (!link || !(SHARE_TARGET_KINDS as readonly string[]).includes(link.scope)) return refuse('unknown', null);
  const state = shareLinkState(link, now);
  if (state !== 'active') return refuse(state, link.id);
  if (options.purpose === 'view') {
    await prisma.$transaction([
      prisma.shareLink.update({ where: { id: link.id }, data: { lastOpenedAt: now, openCount: { increment: 1 } }, select: { id: true } }),
      prisma.auditEvent.create({ data: { kind: 'share.viewed', shareLinkId: link.id, ip: origin.ip, userAgent: origin.userAgent?.slice(0, 500) ?? null } }),
    ]);
  }
  return { ok: true, grant: { linkId: link.id, scope: link.scope as ShareTargetKind, targetId: link.targetId, label: link.label, expiresAt: link.expiresAt } };
}

// better-auth's limiter guards only its own routes; share tokens are checked in the API. Every
// token that matched no link is already in the audit log with its address and time, so the limit
// is a count over the last window there — no second store to keep in step. Revoked or expired
// links reopened by their holder do not count: they are not guesses.
async function guessLimitReached(prisma: PrismaClient, origin: RequestOrigin, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - SHARE_GUESS_LIMIT.window * 1000);
  const refused = await prisma.auditEvent.count({
    where: { kind: 'share.refused', ip: origin.ip, at: { gt: since }, detail: { path: ['reason'], equals: 'unknown' } },
  });
  return refused >= SHARE_GUESS_LIMIT.max;
}
