'use server';
// Making and revoking share links from the links page. Server actions: Next checks that they are
// posted from this site, and each calls the API as the signed-in member, so the same checks apply
// as over HTTP.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createLink, revokeLink } from '../../src/server/api';

export type CreateLinkState = { url: string; expiresAt: string | null } | { error: string } | null;

const SCOPES = ['run', 'sweep', 'selection'] as const;

export async function createLinkAction(_previous: CreateLinkState, form: FormData): Promise<CreateLinkState> {
  const scope = String(form.get('scope') ?? '');
  const targetId = String(form.get('targetId') ?? '').trim();
  const label = String(form.get('label') ?? '').trim();
  const days = String(form.get('expiresInDays') ?? '').trim();
  if (!(SCOPES as readonly string[]).includes(scope)) return { error: 'Choose what to share: a run, a sweep or a selection analysis.' };
  if (days !== '' && !(Number(days) > 0)) return { error: 'The expiry must be a number of days above 0, or empty for none.' };
  const result = await createLink({
    scope: scope as (typeof SCOPES)[number],
    targetId,
    label: label || undefined,
    expiresInDays: days === '' ? undefined : Number(days),
  });
  if ('signIn' in result) redirect('/sign-in');
  revalidatePath('/links');
  return result;
}

export async function revokeLinkAction(form: FormData): Promise<void> {
  const result = await revokeLink(String(form.get('id') ?? ''));
  if (result === 'sign-in') redirect('/sign-in');
  revalidatePath('/links');
}
