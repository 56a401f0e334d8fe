// The audit log, for admins: sign-ins and failures, share links made, revoked and opened, refused
// tokens — who or which link, when, from where. Newest first, 100 a page.
import { formatTime } from '@ovus/ui';
import type { Metadata } from 'next';
import { PageHead } from '../../src/components/page-head';
import { redirect } from 'next/navigation';
import { auditLog } from '../../src/server/api';
import { Streamed } from '../../src/components/streamed';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log' };

async function AuditBody({ searchParams }: { searchParams: Promise<{ cursor?: string; kind?: string }> }) {
  const { cursor, kind } = await searchParams;
  const result = await auditLog({ cursor: cursor && /^\d+$/.test(cursor) ? cursor : undefined, kind });
  if (result.state === 'sign-in') redirect('/sign-in');
  if (result.state !== 'ok') {
    return (
      <div className="narrow" data-testid="audit-refused">
        <h1>Audit log</h1>
        <p>{result.state === 'forbidden' ? 'Only admins can read the audit log.' : 'That filter is not one the audit log knows.'}</p>
      </div>
    );
  }
  const { page } = result;
  return (
    <>
      <PageHead title="Audit log" sub="Sign-ins, failed sign-ins, share links made, revoked and opened. Kept in the database; nothing here can be edited." />
      <div className="ui-table-wrap card">
        <table className="ui-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Account</th>
              <th scope="col">Link</th>
              <th scope="col">From</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.entries.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td>{formatTime(e.at)}</td>
                <td>{e.kind}</td>
                <td>{e.actorEmail ?? '—'}</td>
                <td>{e.shareLinkId ? (e.shareLinkLabel ?? e.shareLinkId.slice(0, 8)) : '—'}</td>
                <td>
                  {e.ip ?? 'unknown'}
                  {e.userAgent ? <div className="ui-muted small">{e.userAgent.slice(0, 80)}</div> : null}
                </td>
                <td>
                  <code>{e.detail ? JSON.stringify(e.detail) : ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.nextCursor ? (
          <p>
            <a href={`/audit?cursor=${page.nextCursor}${kind ? `&kind=${encodeURIComponent(kind)}` : ''}`}>Older entries</a>
          </p>
        ) : null}
      </div>
    </>
  );
}

export default function AuditPage(props: { searchParams: Promise<{ cursor?: string; kind?: string }> }) {
  return (
    <Streamed>
      <AuditBody {...props} />
    </Streamed>
  );
}
