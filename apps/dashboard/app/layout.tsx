import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SignOutButton } from '../src/components/sign-out-button';
import { currentMember } from '../src/server/api';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ovus', template: '%s · ovus' },
  description: 'Runs, sweeps and per-task results of multi-task ultrasound models.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The team's navigation only for a signed-in member: a clinician on a share page sees none of it.
  const member = await currentMember().catch(() => null);
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="topbar">
          <a href="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◐
            </span>
            ovus
          </a>
          {member ? (
            <>
              <nav aria-label="Main">
                <a href="/">Projects</a>
                <a href="/runs">Runs</a>
                <a href="/compare">Compare</a>
                <a href="/datasets">Datasets</a>
                <a href="/selection">Selection</a>
                <a href="/predict">Predict</a>
                <a href="/links">Share links</a>
                {member.role === 'admin' ? <a href="/audit">Audit</a> : null}
              </nav>
              <span className="topbar-user">
                {member.email} <SignOutButton email={member.email} />
              </span>
            </>
          ) : null}
        </header>
        <main id="main" className="page">
          {children}
        </main>
      </body>
    </html>
  );
}
