// The share links the signed-in member made: what each opens, its state, when it was last opened
// and how often; revoke takes effect at once. Making one: the form (prefilled from a run or sweep page).
import { EmptyState, formatTime } from '@ovus/ui';
import type { Metadata } from 'next';
import { CreateLinkForm } from '../../src/components/create-link-form';
import { PageHead } from '../../src/components/page-head';
import { api } from '../../src/server/api';
import { createLinkAction, revokeLinkAction } from './actions';
import { Streamed } from '../../src/components/streamed';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Share links' };

const STATE_WORDS = { active: 'active', expired: 'expired', revoked: 'revoked' } as const;

async function LinksBody({ searchParams }: { searchParams: Promise<{ scope?: string; target?: string }> }) {
  const { scope = 'run', target = '' } = await searchParams;
  const { links } = await (await api()).shareLinks.list({ limit: 100 });
  return (
    <>
      <PageHead title="Share links" sub="Read-only links you made for clinicians. Only you (and admins) see this list." />
      <CreateLinkForm action={createLinkAction} scope={scope} targetId={target} />
      <section className="card" aria-labelledby="your-links">
        <h2 id="your-links">Your links</h2>
        {links.length === 0 ? (
          <EmptyState title="No links yet">
            <p>Open a run or a sweep and choose “Share with a clinician”, or fill in the form above.</p>
          </EmptyState>
        ) : (
          <div className="ui-table-wrap">
            <table className="ui-table" data-testid="links-table">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Opens</th>
                  <th scope="col">State</th>
                  <th scope="col">Made</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last opened</th>
                  <th scope="col" className="num">
                    Times opened
                  </th>
                  <th scope="col">
                    <span className="ui-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {links.map((link) => (
                  <tr key={link.id} data-link={link.id} data-state={`link-${link.state}`}>
                    <th scope="row">{link.label ?? <span className="ui-muted">no label</span>}</th>
                    <td>
                      {link.scope} <a href={link.scope === 'run' ? `/runs/${link.targetId}` : link.scope === 'sweep' ? `/sweeps/${link.targetId}` : `/selection/analysis/${link.targetId}`}>{link.targetName ?? link.targetId}</a>
                    </td>
                    <td>{STATE_WORDS[link.state]}</td>
                    <td>{formatTime(link.createdAt)}</td>
                    <td>{link.expiresAt ? formatTime(link.expiresAt) : 'never'}</td>
                    <td>{link.lastOpenedAt ? formatTime(link.lastOpenedAt) : 'never'}</td>
                    <td className="num">{link.openCount}</td>
                    <td>
                      {link.state === 'active' ? (
                        <form action={revokeLinkAction}>
                          <input type="hidden" name="id" value={link.id} />
                          <button type="submit" className="ui-button" data-revoke={link.id}>
                            Revoke
                          </button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export default function LinksPage(props: { searchParams: Promise<{ scope?: string; target?: string }> }) {
  return (
    <Streamed>
      <LinksBody {...props} />
    </Streamed>
  );
}
