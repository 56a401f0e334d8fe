'use server';
// Making and revoking share links from the links page. Server actions: Next checks that they are
// posted from this site, and each one calls the API as the signed-in member (api() sends anyone
// else to the sign-in page), so the same checks apply as over HTTP.
import { TRPCError } from '@trpc/server';
import { revalidatePath } from 'next/cache';
import { api } from '../../src/server/api';
import { authService } from '../../src/server/auth';

export type CreateLinkState = { url: string; expiresAt: string | null } | { error: string } | null;

const SCOPES = ['run', 'sweep', 'selection'] as const;

export async function createLinkAction(_previous: CreateLinkState, form: FormData): Promise<CreateLinkState> {
  const scope = String(form.get('scope') ?? '');
  const targetId = String(form.get('targetId') ?? '').trim();
  const label = String(form.get('label') ?? '').trim();
  const days = String(form.get('expiresInDays') ?? '').trim();
  if (!(SCOPES as readonly string[]).includes(scope)) return { error: 'Choose what to share: a run, a sweep or a selection analysis.' };
  if (days !== '' && !(Number(days) > 0)) return { error: 'The expiry must be a number of days above 0, or empty for none.' };
  try {
    const created = await (await api()).shareLinks.create({
      scope: scope as (typeof SCOPES)[number],
      targetId,
      label: label || undefined,
      expiresInDays: days === '' ? undefined : Number(days),
    });
    revalidatePath('/links');
    const base = (await authService()).env.OVUS_PUBLIC_URL;
    return { url: `${base}${created.path}`, expiresAt: created.expiresAt?.toISOString() ?? null };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) {
      return { error: error.code === 'NOT_FOUND' ? error.message : 'Check the id (a UUID) and the expiry (at most 365 days).' };
    }
    throw error;
  }
}

export async function revokeLinkAction(form: FormData): Promise<void> {
  await (await api()).shareLinks.revoke({ id: String(form.get('id') ?? '') });
  revalidatePath('/links');
}
