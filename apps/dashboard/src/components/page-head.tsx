import type { ReactNode } from 'react';

export interface Crumb {
  label: string;
  href?: string;
}

/** The title row of a page: breadcrumbs, the title, a line under it and actions on the right. */
export function PageHead({ title, crumbs = [], sub, actions }: { title: ReactNode; crumbs?: readonly Crumb[]; sub?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        {crumbs.length > 0 ? (
          <nav className="crumbs" aria-label="Breadcrumb">
            {crumbs.map((c, i) => (
              <span key={`${c.label}-${i}`}>
                {i > 0 ? <span aria-hidden="true">/</span> : null}
                {c.href ? <a href={c.href}>{c.label}</a> : c.label}
              </span>
            ))}
          </nav>
        ) : null}
        <h1>{title}</h1>
        {sub ? <div className="sub">{sub}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

export function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}
