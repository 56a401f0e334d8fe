// What a share link opens: the one shared result, worded for a clinician; or a clear page when the
// link was revoked, has expired, or does not exist. Nothing else of the dashboard is reachable.
import { formatTime } from '@ovus/ui';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SharedResult } from '../../../src/components/shared-result';
import { openShare } from '../../../src/server/api';

export const dynamic = 'force-dynamic';
// The token is in the URL: keep it out of search engines and other sites' logs (see next.config.ts).
export const metadata: Metadata = { title: 'Shared research result', robots: { index: false, follow: false } };

function Refused({ title, children, state }: { title: string; children: ReactNode; state: string }) {
  return (
    <div className="narrow" data-share-state={state}>
      <h1>{title}</h1>
      {children}
    </div>
  );
}

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const result = await openShare(token);
  if (result.state === 'open') {
    const { shared } = result;
    return (
      <div className="narrow shared" data-share-state="open">
        <h1>{shared.label ?? 'Shared research result'}</h1>
        <p className="ui-muted">
          Shared read-only by the ML team{shared.expiresAt ? `; this link works until ${formatTime(shared.expiresAt)}` : ''}.
        </p>
        <SharedResult view={shared.view} caveat={shared.caveat} />
      </div>
    );
  }
  if (result.state === 'revoked') {
    return (
      <Refused title="This link was revoked" state="revoked">
        <p>The person who shared this result has withdrawn the link. Ask them for a new one if you still need it.</p>
      </Refused>
    );
  }
  if (result.state === 'expired') {
    return (
      <Refused title="This link has expired" state="expired">
        <p>Share links work for a limited time. Ask the person who shared it for a new link.</p>
      </Refused>
    );
  }
  if (result.state === 'rate-limited') {
    return (
      <Refused title="Too many attempts" state="rate-limited">
        <p>{result.message}</p>
      </Refused>
    );
  }
  return (
    <Refused title="This link does not exist" state="unknown">
      <p>Check that the whole link was copied. If it still does not open, ask the person who shared it.</p>
    </Refused>
  );
}
