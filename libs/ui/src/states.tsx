// The three states every data view has besides its data. The error state shows a sentence and
// what to try, never a stack: the details stay in the server log.
import type { ReactNode } from 'react';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="ui-state ui-state-loading" role="status" aria-live="polite">
      <span className="ui-spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="ui-state ui-state-empty" data-state="empty">
      <p className="ui-state-title">{title}</p>
      {children ? <div className="ui-state-body">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ title = 'This view could not be loaded', message, hint }: { title?: string; message: string; hint?: ReactNode }) {
  return (
    <div className="ui-state ui-state-error" role="alert" data-state="error">
      <p className="ui-state-title">{title}</p>
      <p>{message}</p>
      {hint ? <div className="ui-state-body">{hint}</div> : null}
    </div>
  );
}

/** A grey block the size of the content that is on its way (for route-level loading files). */
export function Skeleton({ height = 120 }: { height?: number }) {
  return <div className="ui-skeleton" style={{ height }} aria-hidden="true" />;
}
