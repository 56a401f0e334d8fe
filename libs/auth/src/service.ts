// What the API needs from this library, bound to its database: who is asking, share links, the
// audit log. libs/api calls these and never touches a Prisma client itself.
import { listAudit, type AuditPage, type ListAuditInput, type RequestOrigin } from './audit';
import { identify, type RequestIdentity } from './caller';
import type { OvusAuth } from './create-auth';
import {
  createShareLink,
  listShareLinks,
  resolveShareToken,
  revokeShareLink,
  type CreatedShareLink,
  type CreateShareLinkInput,
  type Member,
  type ResolveShareOptions,
  type ShareLinkSummary,
  type ShareResolution,
} from './share-links';

export interface AuthService {
  identify(headers: Headers): Promise<RequestIdentity>;
  shares: {
    resolve(token: unknown, origin: RequestOrigin, options: ResolveShareOptions): Promise<ShareResolution>;
    create(member: Member, input: CreateShareLinkInput, origin: RequestOrigin): Promise<CreatedShareLink>;
    list(member: Member, input?: { limit?: number; cursor?: string }): Promise<{ links: ShareLinkSummary[]; nextCursor: string | null }>;
    revoke(member: Member, linkId: string, origin: RequestOrigin): Promise<{ revokedAt: Date }>;
  };
  audit: { list(input?: ListAuditInput): Promise<AuditPage> };
}

export function authService(ovus: OvusAuth): AuthService {
  const { prisma } = ovus;
  return {
    identify: (headers) => identify(ovus, headers),
    shares: {
      resolve: (token, origin, options) => resolveShareToken(prisma, token, origin, options),
      create: (member, input, origin) => createShareLink(prisma, member, input, origin),
      list: (member, input) => listShareLinks(prisma, member, input),
      revoke: (member, linkId, origin) => revokeShareLink(prisma, member, linkId, origin),
    },
    audit: { list: (input) => listAudit(prisma, input) },
  };
}
