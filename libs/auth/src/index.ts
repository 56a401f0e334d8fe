export { ACCOUNT_FAILURE_LIMIT, AUTH_BASE_PATH, createAuth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, SIGN_IN_PATH, SIGN_IN_RATE_LIMIT, type BetterAuthInstance, type CreateAuthOptions, type OvusAuth } from './create-auth';
export { parseAuthEnv, servedOverHttps, type AuthEnv } from './env';
export { isRole, ROLES, type Role } from './roles';
export { AUDIT_KINDS, listAudit, listAuditInput, recordAudit, type AuditEntry, type AuditInput, type AuditKind, type AuditPage, type ListAuditInput, type RequestOrigin } from './audit';
export { addUser, checkPassword, listUsers, parseEmail, removeUser, UserInputError, type AddUserInput, type RemovedUser, type TeamUser } from './users';
export { openAccountAdmin, openAuth, type OpenAuth, type OpenAuthOptions } from './open-auth';
export { describeLocalAccount, ensureLocalAccount, loadOrCreateLocalSecret, LOCAL_ACCOUNT_EMAIL, type LocalAccount } from './local-account';
export { createShareToken, hashShareToken, looksLikeShareToken, SHARE_TOKEN_PATTERN } from './share-token';
export {
  createShareLink,
  createShareLinkInput,
  listShareLinks,
  listShareLinksInput,
  MAX_SHARE_DAYS,
  resolveShareToken,
  revokeShareLink,
  SHARE_GUESS_LIMIT,
  SHARE_TARGET_KINDS,
  ShareLinkError,
  shareLinkPath,
  shareLinkState,
  type CreatedShareLink,
  type CreateShareLinkInput,
  type Member,
  type ResolveShareOptions,
  type ShareGrant,
  type ShareLinkState,
  type ShareLinkSummary,
  type ShareRefusal,
  type ShareResolution,
  type ShareTargetKind,
} from './share-links';
export { identify, signedInMember, type RequestIdentity, type SignedInMember } from './caller';
export { authService, type AuthService } from './service';
