// Team accounts, managed by an admin from the trainer CLI. Passwords are hashed and stored by
// better-auth (its scrypt and its credential account); this file only checks the input and keeps
// the audit log and share links in step with the accounts.
import { z } from 'zod';
import { recordAudit } from './audit';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type OvusAuth } from './create-auth';
import { type Role } from './roles';

export class UserInputError extends Error {
  override name = 'UserInputError';
}

const emailSchema = z.email({ message: 'is not an email address (expected name@example.org)' });

export function parseEmail(value: string): string {
  const email = value.trim().toLowerCase();
  const result = emailSchema.safeParse(email);
  if (!result.success) throw new UserInputError(`"${value}" ${result.error.issues[0].message}`);
  return email;
}

/** Refuses passwords outside better-auth's configured bounds, before anything is written. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UserInputError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a passphrase of 3–4 words works well).`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new UserInputError(`The password is too long: use at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
}

export interface TeamUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastSignInAt: Date | null;
}

export interface AddUserInput {
  email: string;
  password: string;
  role?: Role;
  name?: string;
  /** Who ran the command, for the audit log (e.g. the operating-system user). */
  addedBy?: string;
}

export async function addUser(ovus: OvusAuth, input: AddUserInput): Promise<TeamUser> {
  const email = parseEmail(input.email);
  checkPassword(input.password);
  const role = input.role ?? 'member';
  const ctx = await ovus.auth.$context;
  if (await ctx.internalAdapter.findUserByEmail(email)) {
    throw new UserInputError(`An account for ${email} already exists. Remove it first (trainer user remove ${email}) to replace it.`);
  }
  const hash = await ctx.password.hash(input.password);
  const user = await ctx.internalAdapter.createUser({ email, name: input.name ?? email.split('@')[0], emailVerified: true, role }, { method: "admin" });
  try {
    await ctx.internalAdapter.linkAccount({ providerId: 'credential', accountId: user.id, userId: user.id, password: hash });
  } catch (error) {
    // Leave no account that nobody can sign in to.
    await ctx.internalAdapter.deleteUser(user.id);
    throw error;
  }
  await recordAudit(ovus.prisma, { kind: 'user.added', actorEmail: email, actorId: user.id, detail: { role, by: input.addedBy ?? null } });
  return { id: user.id, email, name: user.name, role, createdAt: user.createdAt, lastSignInAt: null };
}

export async function listUsers(ovus: OvusAuth): Promise<TeamUser[]> {
  const users = await ovus.prisma.authUser.findMany({
    orderBy: { email: 'asc' },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
  });
  const signIns = await ovus.prisma.auditEvent.groupBy({
    by: ['actorId'],
    where: { kind: 'sign-in', actorId: { in: users.map((user) => user.id) } },
    _max: { at: true },
  });
  const lastSignIn = new Map(signIns.map((row) => [row.actorId, row._max.at]));
  return users.map((user) => ({ ...user, role: user.role === 'admin' ? 'admin' : 'member', lastSignInAt: lastSignIn.get(user.id) ?? null }));
}

export interface RemovedUser {
  email: string;
  revokedShareLinks: number;
}

/**
 * Deletes the account and its sessions (signed out at once) and revokes every share link it made:
 * a link should not outlive the person who answers for it.
 */
export async function removeUser(ovus: OvusAuth, emailInput: string, removedBy?: string): Promise<RemovedUser> {
  const email = parseEmail(emailInput);
  const user = await ovus.prisma.authUser.findUnique({ where: { email }, select: { id: true, role: true } });
  if (!user) throw new UserInputError(`No account for ${email}. \`trainer user list\` shows the accounts.`);
  if (user.role === 'admin' && (await ovus.prisma.authUser.count({ where: { role: 'admin' } })) === 1) {
    throw new UserInputError(`${email} is the last admin. Add another admin first (trainer user add <email> --admin).`);
  }
  const revoked = await ovus.prisma.$transaction(async (tx) => {
    const links = await tx.shareLink.updateMany({ where: { createdById: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.authUser.delete({ where: { id: user.id } });
    await tx.auditEvent.create({ data: { kind: 'user.removed', actorEmail: email, detail: { by: removedBy ?? null, revokedShareLinks: links.count } } });
    return links.count;
  });
  return { email, revokedShareLinks: revoked };
}
