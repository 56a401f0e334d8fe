// Who is asking, from a request's headers: a signed-in team member (by better-auth's session
// cookie, checked against auth_session on every call, so a removed account or ended session is
// refused at once) or nobody. Share-link holders are recognised by their token, not here.
import type { RequestOrigin } from './audit';
import type { OvusAuth } from './create-auth';
import { isRole, type Role } from './roles';

export interface SignedInMember {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export async function signedInMember(ovus: OvusAuth, headers: Headers): Promise<SignedInMember | null> {
  if (!headers.has('cookie')) return null;
  const session = await ovus.auth.api.getSession({ headers });
  if (!session) return null;
  const { id, email, name, role } = session.user;
  // An account whose role is neither (edited by hand) gets no access rather than a guess.
  if (!isRole(role)) return null;
  return { id, email, name, role };
}

export interface RequestIdentity {
  member: SignedInMember | null;
  origin: RequestOrigin;
}

export async function identify(ovus: OvusAuth, headers: Headers): Promise<RequestIdentity> {
  return { member: await signedInMember(ovus, headers), origin: ovus.originOf(headers) };
}
