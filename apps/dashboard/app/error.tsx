'use client';
// Any error a page throws ends here: a sentence and a retry, never a stack. In production Next
// replaces server error messages by a digest, which is what the server log is searched for.
import { ErrorState } from '@ovus/ui';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      message={error.digest ? 'The server could not load this page. Is the database reachable?' : error.message}
      hint={
        <>
          {error.digest ? <p className="ui-muted">Reference for the server log: {error.digest}</p> : null}
          <button type="button" className="ui-button" onClick={() => reset()}>
            Try again
          </button>
        </>
      }
    />
  );
}
