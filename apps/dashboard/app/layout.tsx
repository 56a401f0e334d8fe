import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ovus', template: '%s · ovus' },
  description: 'Runs, sweeps and per-task results of multi-task ultrasound models.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
          <nav aria-label="Main">
            <a href="/">Projects</a>
            <a href="/runs">Runs</a>
            <a href="/compare">Compare</a>
            <a href="/datasets">Datasets</a>
          </nav>
        </header>
        <main id="main" className="page">
          {children}
        </main>
      </body>
    </html>
  );
}
