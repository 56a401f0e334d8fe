// Two roles: admins manage accounts and read the audit log; members read everything and make
// share links. Stored as text on auth_user.role; anything else is refused when it is written.
export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
