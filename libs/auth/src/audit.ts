// The audit log: one append-only row per sign-in, failed sign-in, share-link creation, revocation,
// share-link view and refused share token. Admins read it; nothing updates or deletes it.
import type { Prisma, PrismaClient } from '@ovus/db';
import { z } from 'zod';

export const AUDIT_KINDS = [
  'sign-in',
  'sign-in.failed',
  'sign-in.rate-limited',
  'sign-out',
  'share.created',
  'share.revoked',
  'share.viewed',
  'share.refused',
  'user.added',
  'user.removed',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Where a request came from, as far as the server can tell. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditInput extends Partial<RequestOrigin> {
  kind: AuditKind;
  actorId?: string | null;
  actorEmail?: string | null;
  shareLinkId?: string | null;
  detail?: Prisma.InputJsonObject;
}

export interface AuditEntry {
  id: string;
  at: Date;
  kind: string;
  actorId: string | null;
  actorEmail: string | null;
  shareLinkId: string | null;
  shareLinkLabel: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Prisma.JsonValue | null;
}

type AuditPrisma = Pick<PrismaClient, 'auditEvent'>;

const USER_AGENT_MAX = 500;

export async function recordAudit(prisma: AuditPrisma, event: AuditInput): Promise<void> {
  await prisma.auditEvent.create({
    data: {
      kind: event.kind,
      actorId: event.actorId ?? null,
      actorEmail: event.actorEmail ?? null,
      shareLinkId: event.shareLinkId ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      detail: event.detail,
    },
  });
}

export const listAuditInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  /** The id of the last entry of the previous page (entries come newest first). */
  cursor: z.string().regex(/^\d+$/).optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
  shareLinkId: z.uuid().optional(),
});
export type ListAuditInput = z.input<typeof listAuditInput>;

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** Newest first, `limit` at a time. Callers check that the reader is an admin. */
export async function listAudit(prisma: AuditPrisma, input: ListAuditInput = {}): Promise<AuditPage> {
  const { limit, cursor, kind, shareLinkId } = listAuditInput.parse(input);
  const rows = await prisma.auditEvent.findMany({
    where: {
      ...(kind ? { kind } : {}),
      ...(shareLinkId ? { shareLinkId } : {}),
      ...(cursor ? { id: { lt: BigInt(cursor) } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: {
      id: true,
      at: true,
      kind: true,
      actorId: true,
      actorEmail: true,
      shareLinkId: true,
      ip: true,
      userAgent: true,
      detail: true,
      shareLink: { select: { label: true } },
    },
  });
  const page = rows.slice(0, limit);
  return {
    entries: page.map(({ shareLink, id, ...row }) => ({ ...row, id: id.toString(), shareLinkLabel: shareLink?.label ?? null })),
    nextCursor: rows.length > limit ? page[page.length - 1].id.toString() : null,
  };
}
